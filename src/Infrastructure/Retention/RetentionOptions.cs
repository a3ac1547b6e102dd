namespace LinkTracking.Infrastructure.Retention;

/// <summary>Configuration section <c>Retention</c>: how long raw clicks are kept, and the partition upkeep on PostgreSQL.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>The longest <see cref="RawClickDays"/> accepted (100 years).</summary>
    public const int MaxRawClickDays = 36_500;

    /// <summary>The most months partitions are created ahead.</summary>
    public const int MaxPartitionMonthsAhead = 24;

    /// <summary>
    /// Days raw clicks (<c>link_clicks</c>) are kept; unset (the default) keeps them forever. On PostgreSQL whole
    /// monthly partitions are dropped once they are entirely older than the cutoff; on SQLite rows older than the
    /// cutoff are deleted in batches. Aggregates kept elsewhere are not touched.
    /// </summary>
    public int? RawClickDays { get; set; }

    /// <summary>PostgreSQL: monthly partitions kept ready beyond the current month.</summary>
    public int PartitionMonthsAhead { get; set; } = 2;

    /// <summary>How often partitions are prepared and retention applied (also once at start-up).</summary>
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The rules, as the start-up failure states them.</summary>
    public const string Rules =
        "Retention: RawClickDays must be unset (keep forever) or 1-36500, PartitionMonthsAhead 1-24, MaintenanceInterval positive and at most 1.00:00:00.";

    /// <summary>Whether every value is within <see cref="Rules"/>.</summary>
    public bool IsValid() =>
        RawClickDays is null or (>= 1 and <= MaxRawClickDays)
        && PartitionMonthsAhead is >= 1 and <= MaxPartitionMonthsAhead
        && MaintenanceInterval > TimeSpan.Zero && MaintenanceInterval <= TimeSpan.FromDays(1);
}
