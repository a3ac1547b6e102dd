using LinkTracking.Application.Common.Options;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Analytics;

/// <summary>The rollup worker and the freshness of reads (<c>Analytics:*</c>, ADR 0021).</summary>
public sealed class AnalyticsOptions
{
    public const string SectionName = "Analytics";

    /// <summary>How often the rollup worker counts the clicks committed since its watermark.</summary>
    [Between(typeof(TimeSpan), "00:00:00.010", "01:00:00", ErrorMessage = "Analytics:RollupInterval must be between {1} and {2}.")]
    public TimeSpan RollupInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a read waits for the clicks acknowledged before it to be counted before it answers with what is.</summary>
    [Between(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "Analytics:MaxReadWait must be between {1} and {2}.")]
    public TimeSpan MaxReadWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A read waits (at most <see cref="MaxReadWait"/>) only when the clicks waiting to be counted look countable within
    /// this at the worker's pace; a larger backlog (a load, a backfill, an outage's) is not waited for: the read answers
    /// at once with what is counted.
    /// </summary>
    [Between(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "Analytics:CatchUpLimit must be between {1} and {2}.")]
    public TimeSpan CatchUpLimit { get; set; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>Checks <see cref="AnalyticsOptions"/> at start-up (source-generated from the data annotations).</summary>
[OptionsValidator]
public sealed partial class AnalyticsOptionsValidator : IValidateOptions<AnalyticsOptions>;
