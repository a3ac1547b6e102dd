using LinkTracking.Application.Common.Options;
using Microsoft.Extensions.Options;

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
    [Between(1, MaxRawClickDays, ErrorMessage = "Retention:RawClickDays must be unset (keep forever) or between {1} and {2}.")]
    public int? RawClickDays { get; set; }

    /// <summary>PostgreSQL: monthly partitions kept ready beyond the current month.</summary>
    [Between(1, MaxPartitionMonthsAhead, ErrorMessage = "Retention:PartitionMonthsAhead must be between {1} and {2}.")]
    public int PartitionMonthsAhead { get; set; } = 2;

    /// <summary>How often partitions are prepared and retention applied (also once at start-up).</summary>
    [PositiveDuration("1.00:00:00", ErrorMessage = "Retention:MaintenanceInterval must be longer than zero and at most {2}.")]
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Checks <see cref="RetentionOptions"/> at start-up (source-generated from the data annotations).</summary>
[OptionsValidator]
public sealed partial class RetentionOptionsValidator : IValidateOptions<RetentionOptions>;
