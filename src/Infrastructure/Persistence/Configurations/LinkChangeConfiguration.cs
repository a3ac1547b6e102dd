using LinkTracking.Domain.Links;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LinkTracking.Infrastructure.Persistence.Configurations;

public sealed class LinkChangeConfiguration : IEntityTypeConfiguration<LinkChange>
{
    public void Configure(EntityTypeBuilder<LinkChange> builder)
    {
        builder.ToTable("link_changes");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Field).HasMaxLength(30).IsRequired();
        builder.Property(c => c.OldValue).HasMaxLength(LinkChange.MaxValueLength);
        builder.Property(c => c.NewValue).HasMaxLength(LinkChange.MaxValueLength);
        builder.HasOne<TrackedLink>().WithMany().HasForeignKey(c => c.LinkId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => new { c.LinkId, c.ChangedAt });
    }
}
