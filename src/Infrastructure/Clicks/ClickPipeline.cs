using System.Diagnostics.Metrics;
using System.Threading.Channels;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Clicks;

/// <summary>
/// Group commit for clicks (ADR 0005). Requests put their click into a bounded channel and wait; writers take
/// everything that has queued up (up to <see cref="ClickPipelineOptions.MaxBatchSize"/>) and commit it in one
/// database transaction, then release every waiting request at once. When the database fails or is slow,
/// the batch is fsync'd to the local <see cref="ClickSpool"/> instead and the requests are released after
/// that; the spool mover replays it in order when the database answers again. Either way a request is
/// released only when its click is durable. Clicks carry their id, and the writers skip ids already stored,
/// so a replayed click is never stored twice.
/// </summary>
public sealed partial class ClickPipeline : BackgroundService, IClickRecorder
{
    public const string MeterName = "LinkTracking.Clicks";

    private readonly Channel<ClickWork> _channel;
    private readonly IClickBatchWriter _writer;
    private readonly ClickSpool _spool;
    private readonly ClickPipelineOptions _options;
    // Batching, timeouts and the mover's ticks run on wall-clock time, not on the business clock that tests fake.
    private readonly TimeProvider _timeProvider = TimeProvider.System;
    private readonly ILogger<ClickPipeline> _logger;
    private readonly Counter<long> _committed;
    private readonly Counter<long> _spooled;
    private readonly Counter<long> _replayed;
    private volatile bool _databaseAvailable = true;

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
        _channel = Channel.CreateBounded<ClickWork>(new BoundedChannelOptions(Math.Max(1, _options.ChannelCapacity))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = _options.Writers <= 1,
            SingleWriter = false,
        });

        var meter = meterFactory.Create(MeterName);
        _committed = meter.CreateCounter<long>("linktracking.clicks.committed", description: "Clicks committed to the database by the request path.");
        _spooled = meter.CreateCounter<long>("linktracking.clicks.spooled", description: "Clicks fsync'd to the local spool.");
        _replayed = meter.CreateCounter<long>("linktracking.clicks.replayed", description: "Spooled clicks copied into the database.");
        meter.CreateObservableGauge("linktracking.clicks.queue_depth", () => QueueDepth, description: "Clicks waiting for a writer.");
        meter.CreateObservableGauge("linktracking.clicks.spool_bytes", () => _spool.PendingBytes, unit: "By", description: "Spooled bytes not yet replayed.");
    }

    /// <summary>Clicks waiting in the channel.</summary>
    public int QueueDepth => _channel.Reader.CanCount ? _channel.Reader.Count : 0;

    public ClickPipelineStatus Status => new(QueueDepth, _options.ChannelCapacity, _spool.PendingBytes, _databaseAvailable);

    public ValueTask RecordAsync(LinkClick click, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(click);
        if (_options.Mode == ClickRecordingMode.Direct)
        {
            return new ValueTask(_writer.WriteAsync([click], cancellationToken));
        }

        var work = new ClickWork(click, null);
        return Enqueue(work);
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

        return Enqueue(new ClickWork(null, clicks));
    }

    /// <summary>Replays sealed spool segments into the database. Returns false when the database is still unavailable.</summary>
    public async Task<bool> ReplaySpoolAsync(CancellationToken cancellationToken)
    {
        if (!_spool.HasPending)
        {
            _databaseAvailable = true;
            return true;
        }

        foreach (var segment in _spool.SealSegments())
        {
            var clicks = ClickSpool.ReadSegment(segment, out var torn);
            if (torn)
            {
                LogTornSegment(segment, clicks.Count);
            }

            for (var start = 0; start < clicks.Count; start += _options.ReplayBatchSize)
            {
                var chunk = clicks.Skip(start).Take(_options.ReplayBatchSize).ToList();
                if (!await TryReplayChunkAsync(chunk, cancellationToken))
                {
                    _databaseAvailable = false;
                    return false;
                }
            }

            _spool.Delete(segment);
            _replayed.Add(clicks.Count);
            LogReplayed(segment, clicks.Count);
        }

        _databaseAvailable = true;
        return true;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Stop taking new work into the channel (late requests go to the spool) and let the writers drain it.
        _channel.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _spool.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var writers = Enumerable.Range(0, Math.Max(1, _options.Writers)).Select(_ => Task.Run(WriterLoopAsync, CancellationToken.None)).ToArray();
        var mover = Task.Run(() => MoverLoopAsync(stoppingToken), CancellationToken.None);
        await Task.WhenAll(writers);
        await mover;
    }

    private ValueTask Enqueue(ClickWork work)
    {
        if (_channel.Writer.TryWrite(work))
        {
            return new ValueTask(work.Task);
        }

        // Channel full (or closed for shutdown): spill to the spool rather than grow memory or drop the click.
        _spool.Append(work.Clicks);
        _spooled.Add(work.Count);
        return ValueTask.CompletedTask;
    }

    private async Task WriterLoopAsync()
    {
        var reader = _channel.Reader;
        var works = new List<ClickWork>();
        var batch = new List<LinkClick>(_options.MaxBatchSize);
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            works.Clear();
            batch.Clear();
            Fill(reader, works, batch);
            if (_options.MaxBatchDelay > TimeSpan.Zero && batch.Count < _options.MaxBatchSize)
            {
                await Task.Delay(_options.MaxBatchDelay, _timeProvider);
                Fill(reader, works, batch);
            }

            if (batch.Count > 0)
            {
                await PersistAsync(batch, works);
            }
        }
    }

    private void Fill(ChannelReader<ClickWork> reader, List<ClickWork> works, List<LinkClick> batch)
    {
        while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var work))
        {
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

    private async Task MoverLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.ReplayInterval, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (!_spool.HasPending && _databaseAvailable)
                {
                    continue;
                }

                try
                {
                    await ReplaySpoolAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _databaseAvailable = false;
                    LogReplayFailed(ex);
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
    private partial void LogTornSegment(string segment, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed {Count} spooled clicks from {Segment}")]
    private partial void LogReplayed(string segment, int count);

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
public sealed record ClickPipelineStatus(int QueueDepth, int QueueCapacity, long SpoolBytes, bool DatabaseAvailable);

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
