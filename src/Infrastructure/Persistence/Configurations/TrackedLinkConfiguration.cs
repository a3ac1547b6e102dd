using LinkTracking.Domain.Links;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LinkTracking.Infrastructure.Persistence.Configurations;

public sealed class TrackedLinkConfiguration : IEntityTypeConfiguration<TrackedLink>
{
    public void Configure(EntityTypeBuilder<TrackedLink> builder)
    {
        builder.ToTable("link_tracking");
        builder.HasKey(l => l.Id);
        builder.Property(l => l.Id).ValueGeneratedNever();
        builder.Property(l => l.TrackingId)
            .HasConversion(v => v.Value, v => TrackingId.Parse(v))
            .HasMaxLength(TrackingId.MaxLength)
            .IsRequired();
        builder.HasAlternateKey(l => l.TrackingId);
        builder.Property(l => l.OriginalUrl)
            .HasConversion(v => v.Value, v => TargetUrl.Rehydrate(v))
            .HasMaxLength(TargetUrl.MaxLength)
            .IsRequired();
        builder.Property(l => l.LinkFunction).HasMaxLength(LinkFunction.MaxLength).IsRequired();
        builder.Property(l => l.LinkType).HasMaxLength(20).IsRequired();
        builder.Property(l => l.Description).HasMaxLength(TrackedLink.MaxDescriptionLength);
        builder.Property(l => l.CreatedBy).HasMaxLength(TrackedLink.MaxCreatedByLength).IsRequired();
        builder.Ignore(l => l.IsDecoy);
        builder.Property(l => l.Domain).HasMaxLength(TrackedLink.MaxDomainLength);
        builder.Property(l => l.ShortCode).HasMaxLength(ShortCode.Length);
        builder.Property(l => l.FallbackUrl)
            .HasConversion(v => v!.Value, v => TargetUrl.Rehydrate(v))
            .HasMaxLength(TargetUrl.MaxLength);
        builder.Property(l => l.Variants)
            .HasConversion(LinkVariantsJson.Converter, LinkVariantsJson.Comparer)
            .HasColumnName("variants");

        // The list (newest first, filtered), the job and application summaries, the package lookup.
        builder.HasIndex(l => l.CreatedAt);
        builder.HasIndex(l => new { l.JobId, l.LinkFunction });
        builder.HasIndex(l => new { l.ApplicationId, l.LinkFunction });
        builder.HasIndex(l => l.LinkFunction);
        // A branded short link's lookup; a code is unique per domain (links without a domain have neither: NULLs never collide).
        builder.HasIndex(l => new { l.Domain, l.ShortCode }).IsUnique();
        // The link.expired scan: links not announced yet whose expiry has passed.
        builder.HasIndex(l => new { l.ExpiryAnnouncedAt, l.ExpiresAt });
    }
}
