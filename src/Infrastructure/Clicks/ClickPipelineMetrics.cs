using System.Diagnostics.Metrics;

namespace LinkTracking.Infrastructure.Clicks;

/// <summary>The click pipeline's instruments (meter <see cref="MeterName"/>), shared by the recorder and the mover.</summary>
public sealed class ClickPipelineMetrics
{
    public const string MeterName = "LinkTracking.Clicks";

    private readonly Meter _meter;

    public ClickPipelineMetrics(IMeterFactory meterFactory, ClickSpool spool)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(spool);
        _meter = meterFactory.Create(MeterName);
        Committed = _meter.CreateCounter<long>("linktracking.clicks.committed", description: "Clicks committed to the database while their requests waited (Database durability).");
        Spooled = _meter.CreateCounter<long>("linktracking.clicks.spooled", description: "Clicks fsync'd to the local spool (the journal, or spilled).");
        Replayed = _meter.CreateCounter<long>("linktracking.clicks.replayed", description: "Spooled clicks copied into the database by the mover.");
        Rejected = _meter.CreateCounter<long>("linktracking.clicks.rejected", description: "Partner clicks refused with 503 because the spool was over its disk budget (ClickPipeline:MaxSpoolBytes).");
        _meter.CreateObservableGauge("linktracking.clicks.spool_bytes", () => spool.PendingBytes, unit: "By", description: "Spooled bytes not yet replayed.");
        _meter.CreateObservableGauge("linktracking.clicks.backlog_age", () => spool.BacklogAge.TotalSeconds, unit: "s", description: "Age of the oldest spooled click not yet in the database (the mover's lag).");
    }

    public Counter<long> Committed { get; }

    public Counter<long> Spooled { get; }

    public Counter<long> Replayed { get; }

    public Counter<long> Rejected { get; }

    /// <summary>The recorder's queue depth (clicks waiting for a writer or for the journal's next fsync).</summary>
    public void ObserveQueueDepth(Func<int> depth) =>
        _meter.CreateObservableGauge("linktracking.clicks.queue_depth", depth, description: "Clicks waiting for a writer.");
}
