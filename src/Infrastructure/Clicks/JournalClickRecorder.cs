using LinkTracking.Domain.Clicks;
using Microsoft.Extensions.Logging;

namespace LinkTracking.Infrastructure.Clicks;

/// <summary>
/// <see cref="ClickDurability.Journal"/> (the default, ADR 0005): a request waits until the <see cref="ClickJournal"/>
/// thread has fsync'd its batch to the local spool; the <see cref="ClickSpoolMover"/> copies the spool into the
/// database every <see cref="ClickPipelineOptions.MoveInterval"/>.
/// </summary>
public sealed class JournalClickRecorder : ClickRecorder
{
    private readonly ClickJournal _journal;
    private volatile bool _disposed;

    public JournalClickRecorder(ClickSpool spool, ClickSpoolMover mover, ClickPipelineOptions options, ClickPipelineMetrics metrics, ILogger<JournalClickRecorder> logger)
        : base(spool, mover, options, metrics, logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _journal = new ClickJournal(spool, options.ChannelCapacity, options.JournalLinger);
        _journal.Appended += count => metrics.Spooled.Add(count);
    }

    public override ClickDurability Durability => ClickDurability.Journal;

    public override int QueueDepth => _journal.Pending;

    public override long JournalFsyncs => _journal.Fsyncs;

    public override ValueTask RecordAsync(LinkClick click, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(click);
        return new ValueTask(_journal.AppendAsync(click));
    }

    public override ValueTask RecordManyAsync(IReadOnlyList<LinkClick> clicks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        return clicks.Count == 0 ? ValueTask.CompletedTask : new ValueTask(_journal.AppendAsync(clicks));
    }

    /// <summary>Waits for the journal's fsync, then copies the spool into the database (<see cref="ClickRecorder.FlushAsync"/>).</summary>
    public override async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await _journal.FlushAsync().WaitAsync(cancellationToken);
        await base.FlushAsync(cancellationToken);
    }

    /// <summary>The journal's last batch is fsync'd; the mover, stopping after this, copies it into the database.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_disposed)
        {
            await _journal.FlushAsync().WaitAsync(cancellationToken);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _journal.Dispose();
        }

        base.Dispose(disposing);
    }
}
