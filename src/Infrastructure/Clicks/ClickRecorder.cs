using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LinkTracking.Infrastructure.Clicks;

/// <summary>
/// What both durability modes share (ADR 0005): the spool's disk budget for partner clicks (<see cref="TryAdmit"/>),
/// the status the health check shows, and making recorded clicks visible (<see cref="FlushAsync"/>: the mover copies the
/// spool). One subclass per <see cref="ClickDurability"/>, chosen in DI (<see cref="ClickRecorders.Create"/>).
/// </summary>
public abstract partial class ClickRecorder : IClickRecorder, IClickPipelineBacklog, IHostedService, IDisposable
{
    private long _lastOverBudgetLog;

    protected ClickRecorder(ClickSpool spool, ClickSpoolMover mover, ClickPipelineOptions options, ClickPipelineMetrics metrics, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        Spool = spool;
        Mover = mover;
        Options = options;
        Metrics = metrics;
        Logger = logger;
        metrics.ObserveQueueDepth(() => QueueDepth);
    }

    /// <summary>What a click's acknowledgement waits for.</summary>
    public abstract ClickDurability Durability { get; }

    /// <summary>Clicks waiting for a writer or for the journal's next fsync.</summary>
    public abstract int QueueDepth { get; }

    /// <summary>Journal batches written so far (one fsync each); zero without the journal.</summary>
    public virtual long JournalFsyncs => 0;

    public ClickPipelineStatus Status => new(QueueDepth, Options.ChannelCapacity, Spool.PendingBytes, Mover.DatabaseAvailable, Options.MaxSpoolBytes, Spool.BacklogAge);

    /// <summary>The spool's pending bytes and the mover's lag, for <c>alert.pipeline_backlog</c>.</summary>
    public ClickPipelineBacklog Read() => new(Spool.PendingBytes, Spool.BacklogAge);

    /// <summary>True while the spool holds more than <see cref="ClickPipelineOptions.MaxSpoolBytes"/>.</summary>
    public bool IsOverDiskBudget => Options.MaxSpoolBytes > 0 && Spool.PendingBytes >= Options.MaxSpoolBytes;

    protected ClickSpool Spool { get; }

    protected ClickSpoolMover Mover { get; }

    protected ClickPipelineOptions Options { get; }

    protected ClickPipelineMetrics Metrics { get; }

    protected ILogger Logger { get; }

    public bool TryAdmit(int count)
    {
        if (!IsOverDiskBudget)
        {
            return true;
        }

        Metrics.Rejected.Add(count);
        // One warning a minute is enough to say why partners are refused.
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastOverBudgetLog);
        if (now - last > 60_000 && Interlocked.CompareExchange(ref _lastOverBudgetLog, now, last) == last)
        {
            LogOverBudget(Logger, Spool.PendingBytes, Options.MaxSpoolBytes, count);
        }

        return false;
    }

    public abstract ValueTask RecordAsync(LinkClick click, CancellationToken cancellationToken);

    public abstract ValueTask RecordManyAsync(IReadOnlyList<LinkClick> clicks, CancellationToken cancellationToken);

    /// <summary>
    /// Makes every click acknowledged before the call visible to queries by copying the spool into the database. While
    /// the database is known to be unreachable it does not try (a query must not wait out the mover's timeouts); the
    /// spooled clicks follow when the mover finds it back.
    /// </summary>
    public virtual async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (Spool.HasPending && Mover.DatabaseAvailable)
        {
            await Mover.ReplaySpoolAsync(cancellationToken);
        }
    }

    /// <summary>Replays the spool now (the mover's work; tests and <see cref="FlushAsync"/> ask for it).</summary>
    public Task<bool> ReplaySpoolAsync(CancellationToken cancellationToken) => Mover.ReplaySpoolAsync(cancellationToken);

    public virtual Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public virtual Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Click spool over its disk budget ({SpoolBytes} of {MaxSpoolBytes} bytes): refusing {Count} partner clicks with 503")]
    private static partial void LogOverBudget(ILogger logger, long spoolBytes, long maxSpoolBytes, int count);
}

/// <summary>What the health check and metrics show of the pipeline.</summary>
public sealed record ClickPipelineStatus(
    int QueueDepth,
    int QueueCapacity,
    long SpoolBytes,
    bool DatabaseAvailable,
    long MaxSpoolBytes,
    TimeSpan BacklogAge)
{
    public bool OverDiskBudget => MaxSpoolBytes > 0 && SpoolBytes >= MaxSpoolBytes;
}
