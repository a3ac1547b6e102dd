using System.Diagnostics.Metrics;
using LinkTracking.Infrastructure.Analytics.Rollups;
using LinkTracking.Infrastructure.Persistence;
using LinkTracking.Infrastructure.Persistence.Configurations;
using LinkTracking.Infrastructure.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Streaming;

/// <summary>
/// Streams stored clicks and their reclassifications to the sink (ADR 0024), off every write path: the clicks table is
/// the outbox of stored clicks — a round publishes, in <c>link_clicks.seq</c> order, the clicks numbered above the
/// sink's cursor and up to the rollup watermark (ADR 0021: committed, gap-free, and reclassified around their window),
/// then moves the cursor; then the reclassifications in <c>click_stream_outbox</c> whose click is already streamed,
/// and deletes them. Everything is acknowledged before the cursor moves or a row goes, so a sink outage delays the
/// stream and loses nothing; a message handed over twice (a crash between the acknowledgement and the cursor) carries
/// the same id, and the sink's de-duplication stores it once. One node publishes at a time: the holder of the cursor
/// row's lease, which every update of the cursor checks.
/// </summary>
public sealed partial class ClickStreamPublisher : BackgroundService
{
    private readonly IServiceScopeFactory _scopes;
    private readonly IClickRollupStore _rollups;
    private readonly IClickStreamSink _sink;
    private readonly NatsStreamOptions _options;
    private readonly ILogger<ClickStreamPublisher> _logger;
    private readonly Counter<long> _published;
    // Leases run on wall-clock time, not on the business clock that tests fake.
    private readonly TimeProvider _clock = TimeProvider.System;
    private readonly string _owner = Owner();
    private long _lag;
    private long _pending;

    public ClickStreamPublisher(
        IServiceScopeFactory scopes,
        IClickRollupStore rollups,
        IClickStreamSink sink,
        IOptions<NatsStreamOptions> options,
        IMeterFactory meterFactory,
        ILogger<ClickStreamPublisher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meterFactory);
        _scopes = scopes;
        _rollups = rollups;
        _sink = sink;
        _options = options.Value;
        _logger = logger;
        var meter = meterFactory.Create(ServiceMetrics.MeterName);
        _published = meter.CreateCounter<long>("linktracking.stream.published", "{message}", "Messages acknowledged by the click stream's sink, by type (click.stored, click.reclassified).");
        meter.CreateObservableGauge("linktracking.stream.lag", () => Interlocked.Read(ref _lag), "{click}", "Clicks counted by the rollups but not yet acknowledged by the click stream's sink (sequence numbers; at the last round).");
        meter.CreateObservableGauge("linktracking.stream.pending_reclassifications", () => Interlocked.Read(ref _pending), "{message}", "Reclassifications waiting in click_stream_outbox (at the last round).");
    }

    /// <summary>
    /// One round: publishes up to <see cref="NatsStreamOptions.BatchSize"/> stored clicks and as many reclassifications
    /// if this node holds (or takes) the lease. Returns true when there is more to publish at once.
    /// </summary>
    public async Task<bool> PublishRoundAsync(CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>();
        var cursor = await TakeLeaseAsync(db, cancellationToken);
        if (cursor is null)
        {
            return false;
        }

        await _sink.EnsureReadyAsync(cancellationToken);
        var watermark = await WatermarkAsync(db, cancellationToken);
        var clicks = await db.Clicks.AsNoTracking()
            .Where(c => EF.Property<long>(c, LinkClickConfiguration.SeqColumn) > cursor.Value
                        && EF.Property<long>(c, LinkClickConfiguration.SeqColumn) <= watermark)
            .OrderBy(c => EF.Property<long>(c, LinkClickConfiguration.SeqColumn))
            .Select(c => new { Click = c, Seq = EF.Property<long>(c, LinkClickConfiguration.SeqColumn) })
            .Take(_options.BatchSize)
            .ToListAsync(cancellationToken);
        foreach (var stored in clicks)
        {
            await PublishAsync(ClickStreamMessages.ForStored(stored.Click, stored.Seq), cancellationToken);
        }

        _published.Add(clicks.Count, new KeyValuePair<string, object?>("type", ClickStreamMessages.Stored));

        // A full batch stops at its last click; a short one has taken everything up to the watermark.
        var moved = clicks.Count == _options.BatchSize ? clicks[^1].Seq : Math.Max(cursor.Value, watermark);
        if (moved != cursor.Value && !await MoveCursorAsync(db, cursor.Value, moved, cancellationToken))
        {
            // Another node took the lease meanwhile (this round outlasted it): it publishes from the cursor it found.
            LogLeaseLost();
            return false;
        }

        // Reclassifications of clicks already streamed, in the order they were saved.
        var reclassifications = await db.ClickStreamOutbox.AsNoTracking()
            .Where(m => m.ClickSeq <= moved)
            .OrderBy(m => m.Id)
            .Take(_options.BatchSize)
            .ToListAsync(cancellationToken);
        foreach (var row in reclassifications)
        {
            await PublishAsync(ClickStreamMessages.ForReclassified(row.ClickId, row.Id, row.BotCategory, row.TrackingId, row.Body), cancellationToken);
        }

        if (reclassifications.Count > 0)
        {
            var ids = reclassifications.Select(r => r.Id).ToList();
            await db.ClickStreamOutbox.Where(m => ids.Contains(m.Id)).ExecuteDeleteAsync(cancellationToken);
            _published.Add(reclassifications.Count, new KeyValuePair<string, object?>("type", ClickStreamMessages.Reclassified));
        }

        Interlocked.Exchange(ref _lag, Math.Max(0, watermark - moved));
        Interlocked.Exchange(ref _pending, await db.ClickStreamOutbox.LongCountAsync(cancellationToken));
        return clicks.Count == _options.BatchSize || reclassifications.Count == _options.BatchSize;
    }

    /// <summary>
    /// Sets the cursor back to <paramref name="seq"/> (or forward): the clicks numbered above it are published again;
    /// the sink's de-duplication drops those still within its window. Replays stored clicks as they are now.
    /// </summary>
    public static async Task ReplayFromAsync(LinkTrackingDbContext db, string sink, long seq, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.ClickStreamCursors.Where(c => c.Name == sink).ExecuteUpdateAsync(s => s.SetProperty(c => c.Seq, seq), cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Webhooks.BackgroundRounds.RunAsync(PublishRoundAsync, _options.Interval, _clock, LogFailed, stoppingToken);

    private async Task PublishAsync(ClickStreamMessage message, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PublishTimeout);
        await _sink.PublishAsync(message, timeout.Token);
    }

    /// <summary>Takes or renews the lease on the sink's cursor row (made on first use); its position, or null when another node holds it.</summary>
    private async Task<long?> TakeLeaseAsync(LinkTrackingDbContext db, CancellationToken cancellationToken)
    {
        var name = _sink.Name;
        var now = _clock.GetUtcNow().UtcDateTime;
        var until = now + _options.Lease;
        var taken = await db.ClickStreamCursors
            .Where(c => c.Name == name && (c.LeaseOwner == _owner || c.LeaseUntil == null || c.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LeaseOwner, _owner).SetProperty(c => c.LeaseUntil, until), cancellationToken);
        if (taken == 0)
        {
            if (await db.ClickStreamCursors.AnyAsync(c => c.Name == name, cancellationToken))
            {
                return null;
            }

            // First start: from the first click, or from the clicks counted from now on.
            var start = _options.PublishExisting ? 0 : await WatermarkAsync(db, cancellationToken);
            db.ClickStreamCursors.Add(new ClickStreamCursor { Name = name, Seq = start, LeaseOwner = _owner, LeaseUntil = until });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another node made it first.
                return null;
            }

            LogCursorCreated(name, start);
        }

        return await db.ClickStreamCursors.AsNoTracking().Where(c => c.Name == name).Select(c => c.Seq).FirstAsync(cancellationToken);
    }

    private async Task<bool> MoveCursorAsync(LinkTrackingDbContext db, long from, long to, CancellationToken cancellationToken)
    {
        var name = _sink.Name;
        return await db.ClickStreamCursors
            .Where(c => c.Name == name && c.LeaseOwner == _owner && c.Seq == from)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Seq, to), cancellationToken) == 1;
    }

    private async Task<long> WatermarkAsync(LinkTrackingDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            return (await _rollups.WatermarkAsync(db.Database.GetDbConnection(), cancellationToken)).Watermark;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>This node's name in the lease: host, process and a random part (two publishers in one process differ).</summary>
    private static string Owner()
    {
        var owner = $"{Guid.NewGuid():N}/{Environment.ProcessId}/{Environment.MachineName}";
        return owner.Length <= ClickStreamCursor.MaxLeaseOwnerLength ? owner : owner[..ClickStreamCursor.MaxLeaseOwnerLength];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Click stream {Sink}: cursor created at sequence number {Seq}")]
    private partial void LogCursorCreated(string sink, long seq);

    [LoggerMessage(Level = LogLevel.Information, Message = "Click stream: another node took the lease during a round; it continues from the cursor")]
    private partial void LogLeaseLost();

    [LoggerMessage(Level = LogLevel.Warning, Message = "A click stream round failed (sink unreachable?); nothing is lost, retrying")]
    private partial void LogFailed(Exception exception);
}
