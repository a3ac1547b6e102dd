using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Analytics.Rollups;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LinkTracking.Infrastructure.Persistence.Configurations;

/// <summary>
/// Hourly rollups of clicks per link (ADR 0011); the primary key serves every read: one link, one dimension (or a few,
/// <c>= ANY</c>), a range of hours, so the hourly series reads only the <c>category</c> rows.
/// </summary>
public sealed class ClickRollupConfiguration : IEntityTypeConfiguration<ClickRollup>
{
    public void Configure(EntityTypeBuilder<ClickRollup> builder)
    {
        builder.ToTable("link_click_rollups");
        builder.HasKey(r => new { r.TrackingId, r.Dimension, r.Hour, r.Value });
        builder.Property(r => r.TrackingId).HasConversion(v => v.Value, v => TrackingId.Parse(v)).HasMaxLength(TrackingId.MaxLength);
        builder.Property(r => r.Dimension).HasMaxLength(RollupDimensions.MaxDimensionLength);
        builder.Property(r => r.Value).HasMaxLength(RollupDimensions.MaxValueLength);

        // Reads over every link by hour: the scanner-only alert's window (the report reads the scope rollups).
        builder.HasIndex(r => new { r.Dimension, r.Hour });
    }
}

/// <summary>
/// Sessions and addresses per link and hour (ADR 0011, 0020): the keys' presence, read by key when a write changes
/// it (a session across links, an address on one link), so the key leads the primary key.
/// </summary>
public sealed class ClickUniqueConfiguration : IEntityTypeConfiguration<ClickUnique>
{
    public void Configure(EntityTypeBuilder<ClickUnique> builder)
    {
        builder.ToTable("link_click_uniques");
        builder.HasKey(u => new { u.Kind, u.Key, u.TrackingId, u.Hour });
        builder.Property(u => u.TrackingId).HasConversion(v => v.Value, v => TrackingId.Parse(v)).HasMaxLength(TrackingId.MaxLength);
        builder.Property(u => u.Kind).HasMaxLength(1);
        builder.Property(u => u.Key).HasMaxLength(RollupDimensions.MaxKeyLength);
    }
}

/// <summary>Distinct keys per scope and hour (ADR 0020); every read is one scope and kind over a range of hours.</summary>
public sealed class ClickKeyHistogramConfiguration : IEntityTypeConfiguration<ClickKeyHistogram>
{
    public void Configure(EntityTypeBuilder<ClickKeyHistogram> builder)
    {
        builder.ToTable("link_click_key_histogram");
        builder.HasKey(h => new { h.Scope, h.Kind, h.Hour, h.Gap });
        builder.Property(h => h.Scope).HasMaxLength(DistinctScopes.MaxScopeLength);
        builder.Property(h => h.Kind).HasMaxLength(1);
    }
}

/// <summary>Rollups per scope (ADR 0020); every read is one scope and dimension (or a few) over a range of hours.</summary>
public sealed class ClickScopeRollupConfiguration : IEntityTypeConfiguration<ClickScopeRollup>
{
    public void Configure(EntityTypeBuilder<ClickScopeRollup> builder)
    {
        builder.ToTable("link_click_scope_rollups");
        builder.HasKey(r => new { r.Scope, r.Dimension, r.Hour, r.Value });
        builder.Property(r => r.Scope).HasMaxLength(DistinctScopes.MaxScopeLength);
        builder.Property(r => r.Dimension).HasMaxLength(RollupDimensions.MaxDimensionLength);
        builder.Property(r => r.Value).HasMaxLength(RollupDimensions.MaxValueLength);
    }
}

/// <summary>Daily rollups per link and scope (ADR 0020); every read is one scope, its dimensions, a range of days.</summary>
public sealed class ClickDailyRollupConfiguration : IEntityTypeConfiguration<ClickDailyRollup>
{
    public void Configure(EntityTypeBuilder<ClickDailyRollup> builder)
    {
        builder.ToTable("link_click_daily_rollups");
        builder.HasKey(r => new { r.Scope, r.Dimension, r.Day, r.Value });
        builder.Property(r => r.Scope).HasMaxLength(DistinctScopes.MaxScopeLength);
        builder.Property(r => r.Dimension).HasMaxLength(RollupDimensions.MaxDimensionLength);
        builder.Property(r => r.Value).HasMaxLength(RollupDimensions.MaxValueLength);
    }
}

/// <summary>Each link's last hours with clicks (ADR 0020); read joined on the links of a scope.</summary>
public sealed class ClickLastHoursConfiguration : IEntityTypeConfiguration<ClickLastHours>
{
    public void Configure(EntityTypeBuilder<ClickLastHours> builder)
    {
        builder.ToTable("link_click_last_hours");
        builder.HasKey(h => h.TrackingId);
        builder.Property(h => h.TrackingId).HasConversion(v => v.Value, v => TrackingId.Parse(v)).HasMaxLength(TrackingId.MaxLength);
    }
}
