namespace LinkTracking.Infrastructure.Analytics;

/// <summary>The rollup worker and the freshness of reads (<c>Analytics:*</c>, ADR 0021).</summary>
public sealed class AnalyticsOptions
{
    public const string SectionName = "Analytics";

    /// <summary>How often the rollup worker counts the clicks committed since its watermark.</summary>
    public TimeSpan RollupInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a read waits for the clicks acknowledged before it to be counted before it answers with what is.</summary>
    public TimeSpan MaxReadWait { get; set; } = TimeSpan.FromSeconds(2);
}
