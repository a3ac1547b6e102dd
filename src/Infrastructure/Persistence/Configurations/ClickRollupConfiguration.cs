using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Analytics.Rollups;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LinkTracking.Infrastructure.Persistence.Configurations;

/// <summary>Hourly rollups of clicks per link (ADR 0011); the primary key serves every read (link, then hour range).</summary>
public sealed class ClickRollupConfiguration : IEntityTypeConfiguration<ClickRollup>
{
    public void Configure(EntityTypeBuilder<ClickRollup> builder)
    {
        builder.ToTable("link_click_rollups");
        builder.HasKey(r => new { r.TrackingId, r.Hour, r.Dimension, r.Value });
        builder.Property(r => r.TrackingId).HasConversion(v => v.Value, v => TrackingId.Parse(v)).HasMaxLength(TrackingId.MaxLength);
        builder.Property(r => r.Dimension).HasMaxLength(RollupDimensions.MaxDimensionLength);
        builder.Property(r => r.Value).HasMaxLength(RollupDimensions.MaxValueLength);

        // Reads over every link (the report) go by hour.
        builder.HasIndex(r => new { r.Dimension, r.Hour });
    }
}

/// <summary>Distinct sessions and addresses per link and hour (ADR 0011).</summary>
public sealed class ClickUniqueConfiguration : IEntityTypeConfiguration<ClickUnique>
{
    public void Configure(EntityTypeBuilder<ClickUnique> builder)
    {
        builder.ToTable("link_click_uniques");
        builder.HasKey(u => new { u.TrackingId, u.Hour, u.Kind, u.Key });
        builder.Property(u => u.TrackingId).HasConversion(v => v.Value, v => TrackingId.Parse(v)).HasMaxLength(TrackingId.MaxLength);
        builder.Property(u => u.Kind).HasMaxLength(1);
        builder.Property(u => u.Key).HasMaxLength(RollupDimensions.MaxKeyLength);
        builder.HasIndex(u => new { u.Kind, u.Hour });
    }
}
