using System.Diagnostics.Metrics;
using System.Threading.Channels;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Clicks;

/// <summary>
/// Group commit for clicks (ADR 0005). With <see cref="ClickDurability.Journal"/> (the default) a request waits
/// until the <see cref="ClickJournal"/> thread has fsync'd its batch to the local <see cref="ClickSpool"/>, and the
/// mover copies the spool into the database every <see cref="ClickPipelineOptions.MoveInterval"/>. With
/// <see cref="ClickDurability.Database"/> requests put their click into a channel and wait; writers take everything
/// that has queued up (up to <see cref="ClickPipelineOptions.MaxBatchSize"/>) and commit it in one transaction,
/// and a batch the database refuses or is slow to take is fsync'd to the spool instead. Either way a request is
/// released only when its click is durable, and the mover replays the spool in order. Clicks carry their id, and
/// every write skips ids already stored, so a replayed click is never stored twice.
/// </summary>
public sealed partial class ClickPipeline : IHostedService, IClickRecorder, IDisposable
{
    public const string MeterName = "LinkTracking.Clicks";

    private readonly Channel<ClickWork> _channel;
    private readonly IClickBatchWriter _writer;
    private readonly ClickSpool _spool;
    private readonly ClickJournal? _journal;
    private readonly SemaphoreSlim _replayGate = new(1, 1);
    private readonly ClickPipelineOptions _options;
    // Batching, timeouts and the mover's ticks run on wall-clock time, not on the business clock that tests fake.
    private readonly TimeProvider _timeProvider = TimeProvider.System;
    private readonly ILogger<ClickPipeline> _logger;
    private readonly Counter<long> _committed;
    private readonly Counter<long> _spooled;
    private readonly Counter<long> _replayed;
    private readonly Counter<long> _rejected;
    private long _lastOverBudgetLog;
    private readonly CancellationTokenSource _stopping = new();
    private volatile bool _databaseAvailable = true;
    private int _queued;
    private volatile bool _disposed;
    private Task _dispatcher = Task.CompletedTask;
    private Task _mover = Task.CompletedTask;

    public ClickPipeline(
        IClickBatchWriter writer,
        ClickSpool spool,
        IOptions<ClickPipelineOptions> options,
        IMeterFactory meterFactory,
        ILogger<ClickPipeline> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meterFactory);
        _writer = writer;
        _spool = spool;
        _options = options.Value;
        _logger = logger;
        // One reader (the dispatcher) and many writers: the single-consumer channel takes writes without a lock.
        // It is bounded by _queued below rather than by the channel, so a full queue spills to the spool.
        _channel = Channel.CreateUnbounded<ClickWork>(new UnboundedChannelOptions
        {
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });

        var meter = meterFactory.Create(MeterName);
        _committed = meter.CreateCounter<long>("linktracking.clicks.committed", description: "Clicks committed to the database while their requests waited (Database durability).");
        _spooled = meter.CreateCounter<long>("linktracking.clicks.spooled", description: "Clicks fsync'd to the local spool (the journal, or spilled).");
        _replayed = meter.CreateCounter<long>("linktracking.clicks.replayed", description: "Spooled clicks copied into the database by the mover.");
        meter.CreateObservableGauge("linktracking.clicks.queue_depth", () => QueueDepth, description: "Clicks waiting for a writer.");
        meter.CreateObservableGauge("linktracking.clicks.spool_bytes", () => _spool.PendingBytes, unit: "By", description: "Spooled bytes not yet replayed.");
        meter.CreateObservableGauge("linktracking.clicks.backlog_age", () => _spool.BacklogAge.TotalSeconds, unit: "s", description: "Age of the oldest spooled click not yet in the database (the mover's lag).");
        _rejected = meter.CreateCounter<long>("linktracking.clicks.rejected", description: "Partner clicks refused with 503 because the spool was over its disk budget (ClickPipeline:MaxSpoolBytes).");

        if (_options.Mode == ClickRecordingMode.Batched && _options.Durability == ClickDurability.Journal)
        {
            _journal = new ClickJournal(spool, _options.ChannelCapacity, _options.JournalLinger);
            _journal.Appended += count => _spooled.Add(count);
        }
    }

    /// <summary>Clicks waiting for a writer or for the journal's next fsync.</summary>
    public int QueueDepth => _journal?.Pending ?? Volatile.Read(ref _queued);

    /// <summary>What a click's acknowledgement waits for; <see cref="ClickDurability.Database"/> also for the naive mode.</summary>
    public ClickDurability Durability => _journal is null ? ClickDurability.Database : ClickDurability.Journal;

    /// <summary>Journal batches written so far (one fsync each); zero without the journal.</summary>
    public long JournalFsyncs => _journal?.Fsyncs ?? 0;

    public ClickPipelineStatus Status => new(QueueDepth, _options.ChannelCapacity, _spool.PendingBytes, _databaseAvailable, _options.MaxSpoolBytes, _spool.BacklogAge);

    /// <summary>True while the spool holds more than <see cref="ClickPipelineOptions.MaxSpoolBytes"/>.</summary>
    public bool IsOverDiskBudget => _options.MaxSpoolBytes > 0 && _spool.PendingBytes >= _options.MaxSpoolBytes;

    public bool TryAdmit(int count)
    {
        if (!IsOverDiskBudget)
        {
            return true;
        }

        _rejected.Add(count);
        // One warning a minute is enough to say why partners are refused.
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastOverBudgetLog);
        if (now - last > 60_000 && Interlocked.CompareExchange(ref _lastOverBudgetLog, now, last) == last)
        {
            LogOverBudget(_spool.PendingBytes, _options.MaxSpoolBytes, count);
        }

        return false;
    }

    public ValueTask RecordAsync(LinkClick click, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(click);
        if (_options.Mode == ClickRecordingMode.Direct)
        {
            return new ValueTask(_writer.WriteAsync([click], cancellationToken));
        }

        if (_journal is not null)
        {
            return new ValueTask(_journal.AppendAsync(click));
        }

        return Enqueue(new ClickWork(click, null));
    }

    public ValueTask RecordManyAsync(IReadOnlyList<LinkClick> clicks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        if (clicks.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        if (_options.Mode == ClickRecordingMode.Direct)
        {
            return new ValueTask(_writer.WriteAsync(clicks, cancellationToken));
        }

        if (_journal is not null)
        {
            return new ValueTask(_journal.AppendAsync(clicks));
        }

        return Enqueue(new ClickWork(null, clicks));
    }

    /// <summary>
    /// Makes every click acknowledged before the call visible to queries: waits for the journal's fsync, then copies
    /// the spool into the database. While the database is known to be unreachable it does not try (a query must not
    /// wait out the mover's timeouts); the spooled clicks follow when the mover finds it back.
    /// </summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_journal is not null)
        {
            await _journal.FlushAsync().WaitAsync(cancellationToken);
        }

        if (_spool.HasPending && _databaseAvailable)
        {
            await ReplaySpoolAsync(cancellationToken);
        }
    }

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

                    _replayed.Add(chunk.Count);
                    chunk.Clear();
                }

                if (reader.Torn)
                {
                    LogTornSegment(segment, reader.RecordsRead);
                }

                if (_journal is null)
                {
                    LogReplayed(segment, reader.RecordsRead);
                }
                else
                {
                    LogMoved(segment, reader.RecordsRead);
                }
            }

            _spool.Delete(segment);
        }

        _databaseAvailable = true;
        return true;
    }

    /// <summary>
    /// Starts the dispatcher and the spool mover. They are started here, unconditionally, rather than in a
    /// BackgroundService's ExecuteAsync, which never runs when the host stops before the thread pool gets to it —
    /// and then clicks already queued would never be released.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _dispatcher = Task.Run(DispatchLoopAsync, CancellationToken.None);
        _mover = Task.Run(() => MoverLoopAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops taking work into the channel (late requests go to the spool) and waits for the writers to drain it.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _channel.Writer.TryComplete();
        if (!_disposed)
        {
            await _stopping.CancelAsync();
        }

        await _dispatcher.WaitAsync(cancellationToken);
        await _mover.WaitAsync(cancellationToken);
        if (_journal is not null && !_disposed)
        {
            // The journal's last batch is fsync'd; copy what the spool holds while the host still gives us time.
            // Anything left stays on disk and is copied at the next start.
            await _journal.FlushAsync().WaitAsync(cancellationToken);
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
        _channel.Writer.TryComplete();
        _stopping.Cancel();
        _stopping.Dispose();
        _journal?.Dispose();
        _spool.Dispose();
    }

    private ValueTask Enqueue(ClickWork work)
    {
        if (Interlocked.Add(ref _queued, work.Count) <= _options.ChannelCapacity && _channel.Writer.TryWrite(work))
        {
            return new ValueTask(work.Task);
        }

        // Queue full (or closed for shutdown): spill to the spool rather than grow memory or drop the click.
        Interlocked.Add(ref _queued, -work.Count);
        _spool.Append(work.Clicks);
        _spooled.Add(work.Count);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Takes what has queued up while the writers were busy and hands it to a free writer, so that a batch grows
    /// with the load: at most <see cref="ClickPipelineOptions.Writers"/> commits are in flight.
    /// </summary>
    private async Task DispatchLoopAsync()
    {
        var writers = Math.Max(1, _options.Writers);
        using var slots = new SemaphoreSlim(writers, writers);
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            await slots.WaitAsync();
            var works = new List<ClickWork>();
            var batch = new List<LinkClick>(Math.Min(_options.MaxBatchSize, 256));
            Fill(reader, works, batch);
            if (_options.MaxBatchDelay > TimeSpan.Zero && batch.Count < _options.MaxBatchSize)
            {
                await Task.Delay(_options.MaxBatchDelay, _timeProvider);
                Fill(reader, works, batch);
            }

            if (batch.Count == 0)
            {
                slots.Release();
                continue;
            }

            _ = WriteAndReleaseSlotAsync(batch, works, slots);
        }

        // Shutdown: wait for the batches still being written.
        for (var i = 0; i < writers; i++)
        {
            await slots.WaitAsync();
        }
    }

    private async Task WriteAndReleaseSlotAsync(List<LinkClick> batch, List<ClickWork> works, SemaphoreSlim slots)
    {
        try
        {
            await PersistAsync(batch, works);
        }
        finally
        {
            slots.Release();
        }
    }

    private void Fill(ChannelReader<ClickWork> reader, List<ClickWork> works, List<LinkClick> batch)
    {
        while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var work))
        {
            Interlocked.Add(ref _queued, -work.Count);
            works.Add(work);
            work.AddTo(batch);
        }
    }

    private async Task PersistAsync(List<LinkClick> batch, List<ClickWork> works)
    {
        if (_databaseAvailable && !_spool.HasPending)
        {
            try
            {
                using var timeout = new CancellationTokenSource(_options.WriteTimeout, _timeProvider);
                await _writer.WriteAsync(batch, timeout.Token);
                _committed.Add(batch.Count);
                Release(works, null);
                return;
            }
            catch (Exception ex)
            {
                _databaseAvailable = false;
                LogDatabaseWriteFailed(ex, batch.Count);
            }
        }

        try
        {
            _spool.Append(batch);
            _spooled.Add(batch.Count);
            Release(works, null);
        }
        catch (Exception ex)
        {
            // Neither the database nor the disk took the clicks: the requests fail, nothing is acknowledged.
            LogSpoolFailed(ex, batch.Count);
            Release(works, ex);
        }
    }

    private static void Release(List<ClickWork> works, Exception? error)
    {
        foreach (var work in works)
        {
            if (error is null)
            {
                work.TrySetResult();
            }
            else
            {
                work.TrySetException(new ClickNotDurableException("The click could not be stored durably.", error));
            }
        }
    }

    /// <summary>
    /// Copies the spool into the database: every <see cref="ClickPipelineOptions.MoveInterval"/> with the journal
    /// (that is its normal work), every <see cref="ClickPipelineOptions.ReplayInterval"/> otherwise (only after an
    /// outage). After a failed attempt it waits a <see cref="ClickPipelineOptions.ReplayInterval"/> before the next.
    /// </summary>
    private async Task MoverLoopAsync(CancellationToken stoppingToken)
    {
        var interval = _journal is null ? _options.ReplayInterval : _options.MoveInterval;
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

            // The database is up, so one of these clicks is at fault: write them one by one to find it.
            foreach (var click in chunk)
            {
                if (!await TryReplayChunkAsync([click], cancellationToken))
                {
                    return false;
                }
            }

            return true;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database write of {Count} clicks failed; spooling to disk until it recovers")]
    private partial void LogDatabaseWriteFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Could not spool {Count} clicks; their requests fail")]
    private partial void LogSpoolFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replaying the click spool failed; retrying later")]
    private partial void LogReplayFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spool segment {Segment} ends in a torn record; the {Count} complete records before it are replayed")]
    private partial void LogTornSegment(string segment, long count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed {Count} spooled clicks from {Segment}")]
    private partial void LogReplayed(string segment, long count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Moved {Count} journalled clicks from {Segment} into the database")]
    private partial void LogMoved(string segment, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Click spool over its disk budget ({SpoolBytes} of {MaxSpoolBytes} bytes): refusing {Count} partner clicks with 503")]
    private partial void LogOverBudget(long spoolBytes, long maxSpoolBytes, int count);

    /// <summary>One request's clicks and the task it waits on. Continuations run off the writer's thread.</summary>
    private sealed class ClickWork(LinkClick? single, IReadOnlyList<LinkClick>? many)
        : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public int Count => many?.Count ?? 1;

        public IReadOnlyList<LinkClick> Clicks => many ?? [single!];

        public void AddTo(List<LinkClick> batch)
        {
            if (many is null)
            {
                batch.Add(single!);
            }
            else
            {
                batch.AddRange(many);
            }
        }
    }
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

/// <summary>Neither the database nor the spool accepted a click; the request must not be acknowledged.</summary>
public sealed class ClickNotDurableException : Exception
{
    public ClickNotDurableException()
    {
    }

    public ClickNotDurableException(string message)
        : base(message)
    {
    }

    public ClickNotDurableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
