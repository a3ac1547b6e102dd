using LinkTracking.Domain.Clicks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Clicks;

/// <summary>
/// Copies the spool into the database (ADR 0005), a background service of its own: every
/// <see cref="ClickPipelineOptions.MoveInterval"/> with the journal (that is its normal work), every
/// <see cref="ClickPipelineOptions.ReplayInterval"/> with database durability (only after an outage); after a failed
/// attempt it waits a <see cref="ClickPipelineOptions.ReplayInterval"/> before the next. Each segment is streamed in
/// chunks of <see cref="ClickPipelineOptions.ReplayBatchSize"/> and deleted only once all of it is written; writers skip
/// click ids already stored, so a segment replayed again after a crash stores nothing twice. It also knows whether the
/// database was reachable at the last attempt (<see cref="DatabaseAvailable"/>), which the recorders and the health
/// check read.
/// </summary>
public sealed partial class ClickSpoolMover : IHostedService, IDisposable
{
    private readonly IClickBatchWriter _writer;
    private readonly ClickSpool _spool;
    private readonly ClickPipelineOptions _options;
    private readonly ClickPipelineMetrics _metrics;
    private readonly ILogger<ClickSpoolMover> _logger;
    private readonly SemaphoreSlim _replayGate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    // The mover's ticks run on wall-clock time, not on the business clock that tests fake.
    private readonly TimeProvider _timeProvider = TimeProvider.System;
    private volatile bool _databaseAvailable = true;
    private volatile bool _disposed;
    private Task _loop = Task.CompletedTask;

    public ClickSpoolMover(IClickBatchWriter writer, ClickSpool spool, IOptions<ClickPipelineOptions> options, ClickPipelineMetrics metrics, ILogger<ClickSpoolMover> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _writer = writer;
        _spool = spool;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>False from a failed write or move until a move succeeds.</summary>
    public bool DatabaseAvailable => _databaseAvailable;

    private bool Journal => _options.Durability == ClickDurability.Journal;

    /// <summary>A recorder's write failed: stop writing to the database until the mover finds it back.</summary>
    public void MarkDatabaseUnavailable() => _databaseAvailable = false;

    /// <summary>Replays sealed spool segments into the database. Returns false when the database is still unavailable.</summary>
    public async Task<bool> ReplaySpoolAsync(CancellationToken cancellationToken)
    {
        await _replayGate.WaitAsync(cancellationToken);
        try
        {
            return await ReplaySealedSegmentsAsync(cancellationToken);
        }
        finally
        {
            _replayGate.Release();
        }
    }

    /// <summary>
    /// Starts the loop here, unconditionally, rather than in a BackgroundService's ExecuteAsync, which never runs when
    /// the host stops before the thread pool gets to it.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(() => LoopAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops the loop; with the journal, copies what the spool holds while the host still gives time (the recorder,
    /// registered after the mover, has stopped first and fsync'd its last batch). Anything left stays on disk and is
    /// copied at the next start.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_disposed)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _loop.WaitAsync(cancellationToken);
        if (Journal)
        {
            try
            {
                await ReplaySpoolAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogReplayFailed(ex);
            }
        }
    }

    /// <summary>A host may stop a service after disposing it (WebApplicationFactory does); both orders are fine.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stopping.Cancel();
        _stopping.Dispose();
        _spool.Dispose();
    }

    private async Task<bool> ReplaySealedSegmentsAsync(CancellationToken cancellationToken)
    {
        if (!_spool.HasPending)
        {
            _databaseAvailable = true;
            return true;
        }

        // Each segment is streamed in chunks of ReplayBatchSize: decode, write, advance. Memory is one chunk whatever
        // the backlog. A segment is deleted only once all of it is written; after a crash or a failed chunk it is
        // replayed from its start, and the writers skip the click ids already stored (exactly once).
        var chunk = new List<LinkClick>(Math.Min(_options.ReplayBatchSize, 8192));
        foreach (var segment in _spool.SealSegments())
        {
            using (var reader = ClickSpool.OpenSegment(segment))
            {
                while (reader.ReadChunk(chunk, _options.ReplayBatchSize) > 0)
                {
                    if (!await TryReplayChunkAsync(chunk, cancellationToken))
                    {
                        _databaseAvailable = false;
                        return false;
                    }

                    _metrics.Replayed.Add(chunk.Count);
                    chunk.Clear();
                }

                if (reader.Torn)
                {
                    LogTornSegment(segment, reader.RecordsRead);
                }

                if (Journal)
                {
                    LogMoved(segment, reader.RecordsRead);
                }
                else
                {
                    LogReplayed(segment, reader.RecordsRead);
                }
            }

            _spool.Delete(segment);
        }

        _databaseAvailable = true;
        return true;
    }

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        var interval = Journal ? _options.MoveInterval : _options.ReplayInterval;
        using var timer = new PeriodicTimer(interval, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (!_spool.HasPending && _databaseAvailable)
                {
                    continue;
                }

                bool moved;
                try
                {
                    moved = await ReplaySpoolAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _databaseAvailable = false;
                    LogReplayFailed(ex);
                    moved = false;
                }

                if (!moved && interval < _options.ReplayInterval)
                {
                    await Task.Delay(_options.ReplayInterval, _timeProvider, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; whatever is spooled stays on disk for the next start.
        }
    }

    private async Task<bool> TryReplayChunkAsync(List<LinkClick> chunk, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.WriteTimeout * 4);
            await _writer.WriteAsync(chunk, timeout.Token);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogReplayFailed(ex);
            if (chunk.Count == 1 || !await IsDatabaseReachableAsync(cancellationToken))
            {
                if (chunk.Count == 1 && await IsDatabaseReachableAsync(cancellationToken))
                {
                    // The database is up but refuses this one click: keep it aside rather than block the spool forever.
                    _spool.Reject(chunk);
                    return true;
                }

                return false;
            }

            // The database is up, so one of these clicks is at fault — or the chunk was too much for the time allowed
            // (a loaded database, a backfill spread over months): halve it. A bad click is found in log2(n) steps, and
            // a chunk that was merely too big is written in smaller ones instead of one click at a time.
            var half = chunk.Count / 2;
            return await TryReplayChunkAsync(chunk.GetRange(0, half), cancellationToken)
                && await TryReplayChunkAsync(chunk.GetRange(half, chunk.Count - half), cancellationToken);
        }
    }

    private async Task<bool> IsDatabaseReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.WriteTimeout);
            await _writer.WriteAsync([], timeout.Token);
            return true;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replaying the click spool failed; retrying later")]
    private partial void LogReplayFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spool segment {Segment} ends in a torn record; the {Count} complete records before it are replayed")]
    private partial void LogTornSegment(string segment, long count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed {Count} spooled clicks from {Segment}")]
    private partial void LogReplayed(string segment, long count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Moved {Count} journalled clicks from {Segment} into the database")]
    private partial void LogMoved(string segment, long count);
}
