using LinkTracking.Domain.Clicks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LinkTracking.Infrastructure.Persistence.Configurations;

public sealed class OrphanVisitConfiguration : IEntityTypeConfiguration<OrphanVisit>
{
    public void Configure(EntityTypeBuilder<OrphanVisit> builder)
    {
        builder.ToTable("orphan_visits");
        builder.HasKey(v => v.Id);
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.Property(v => v.Path).HasMaxLength(OrphanVisit.MaxPathLength).IsRequired();
        builder.Property(v => v.IpPartial).HasMaxLength(OrphanVisit.MaxIpPartialLength);
        builder.Property(v => v.UserAgent).HasMaxLength(LinkClick.MaxUserAgentLength);
        builder.Property(v => v.Referrer).HasMaxLength(LinkClick.MaxReferrerLength);
        builder.Property(v => v.BotCategory)
            .HasConversion(v => v.Name(), v => ParseCategory(v))
            .HasMaxLength(BotCategories.MaxNameLength)
            .IsRequired();
        builder.HasIndex(v => v.VisitedAt);
    }

    private static BotCategory ParseCategory(string name) => BotCategories.TryParse(name, out var category) ? category : BotCategory.Scanner;
}
