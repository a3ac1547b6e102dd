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
/// SQLite only (PostgreSQL estimates with sketches): sessions and addresses per link and hour (ADR 0021), the link and
/// the hour leading; a local day's distinct sessions are counted over a link's or a scope's links' hours. Indexed by
/// key for the corrections' recompute of a key's latest hours (ADR 0030).
/// Applied by <see cref="SqliteLinkTrackingDbContext"/>, not by the assembly scan.
/// </summary>
public static class ClickUniqueConfiguration
{
    public static void Configure(EntityTypeBuilder<ClickUnique> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("link_click_uniques");
        builder.HasKey(u => new { u.TrackingId, u.Hour, u.Kind, u.Key });
        builder.HasIndex(u => u.Key);
        builder.Property(u => u.TrackingId).HasConversion(v => v.Value, v => TrackingId.Parse(v)).HasMaxLength(TrackingId.MaxLength);
        builder.Property(u => u.Kind).HasMaxLength(1);
        builder.Property(u => u.Key).HasMaxLength(RollupDimensions.MaxKeyLength);
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

/// <summary>Monthly rollups of all links and jobs, per function too (ADR 0029), keyed as the daily ones.</summary>
public sealed class ClickMonthlyRollupConfiguration : IEntityTypeConfiguration<ClickMonthlyRollup>
{
    public void Configure(EntityTypeBuilder<ClickMonthlyRollup> builder)
    {
        builder.ToTable("link_click_monthly_rollups");
        builder.HasKey(r => new { r.Scope, r.Dimension, r.Month, r.Value });
        builder.Property(r => r.Scope).HasMaxLength(DistinctScopes.MaxScopeLength);
        builder.Property(r => r.Dimension).HasMaxLength(RollupDimensions.MaxDimensionLength);
        builder.Property(r => r.Value).HasMaxLength(RollupDimensions.MaxValueLength);
    }
}

/// <summary>A link's clicks of all time (ADR 0026), keyed by the link alone.</summary>
public sealed class ClickLinkTotalConfiguration : IEntityTypeConfiguration<ClickLinkTotal>
{
    public void Configure(EntityTypeBuilder<ClickLinkTotal> builder)
    {
        builder.ToTable("link_click_totals");
        builder.HasKey(t => t.TrackingId);
        builder.Property(t => t.TrackingId).HasConversion(v => v.Value, v => TrackingId.Parse(v)).HasMaxLength(TrackingId.MaxLength);
    }
}
