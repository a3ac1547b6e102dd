using System.Threading.Channels;
using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Domain.Clicks;
using Microsoft.Extensions.Logging;

namespace LinkTracking.Infrastructure.Clicks;

/// <summary>
/// <see cref="ClickDurability.Database"/> (ADR 0005): requests put their clicks into a channel and wait; writers take
/// everything that has queued up (up to <see cref="ClickPipelineOptions.MaxBatchSize"/>) and commit it in one
/// transaction, and a batch the database refuses or is slow to take is fsync'd to the spool instead (the
/// <see cref="ClickSpoolMover"/> replays it once the database is back). A request is released only when its click is
/// durable.
/// </summary>
public sealed partial class DatabaseClickRecorder : ClickRecorder
{
    private readonly Channel<ClickWork> _channel;
    private readonly IClickBatchWriter _writer;
    // Batching and timeouts run on wall-clock time, not on the business clock that tests fake.
    private readonly TimeProvider _timeProvider = TimeProvider.System;
    private int _queued;
    private Task _dispatcher = Task.CompletedTask;

    public DatabaseClickRecorder(IClickBatchWriter writer, ClickSpool spool, ClickSpoolMover mover, ClickPipelineOptions options, ClickPipelineMetrics metrics, ILogger<DatabaseClickRecorder> logger)
        : base(spool, mover, options, metrics, logger)
    {
        _writer = writer;
        // One reader (the dispatcher) and many writers: the single-consumer channel takes writes without a lock.
        // It is bounded by _queued below rather than by the channel, so a full queue spills to the spool.
        _channel = Channel.CreateUnbounded<ClickWork>(new UnboundedChannelOptions
        {
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
    }

    public override ClickDurability Durability => ClickDurability.Database;

    public override int QueueDepth => Volatile.Read(ref _queued);

    public override ValueTask RecordAsync(LinkClick click, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(click);
        return Enqueue(new ClickWork(click, null));
    }

    public override ValueTask RecordManyAsync(IReadOnlyList<LinkClick> clicks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        return clicks.Count == 0 ? ValueTask.CompletedTask : Enqueue(new ClickWork(null, clicks));
    }

    /// <summary>Starts the dispatcher here, unconditionally (see <see cref="ClickSpoolMover.StartAsync"/> for why).</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _dispatcher = Task.Run(DispatchLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops taking work into the channel (late requests go to the spool) and waits for the writers to drain it.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _channel.Writer.TryComplete();
        await _dispatcher.WaitAsync(cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        _channel.Writer.TryComplete();
        base.Dispose(disposing);
    }

    private ValueTask Enqueue(ClickWork work)
    {
        if (Interlocked.Add(ref _queued, work.Count) <= Options.ChannelCapacity && _channel.Writer.TryWrite(work))
        {
            return new ValueTask(work.Task);
        }

        // Queue full (or closed for shutdown): spill to the spool rather than grow memory or drop the click.
        Interlocked.Add(ref _queued, -work.Count);
        Spool.Append(work.Clicks);
        Metrics.Spooled.Add(work.Count);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Takes what has queued up while the writers were busy and hands it to a free writer, so that a batch grows
    /// with the load: at most <see cref="ClickPipelineOptions.Writers"/> commits are in flight.
    /// </summary>
    private async Task DispatchLoopAsync()
    {
        var writers = Options.Writers;
        using var slots = new SemaphoreSlim(writers, writers);
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            await slots.WaitAsync();
            var works = new List<ClickWork>();
            var batch = new List<LinkClick>(Math.Min(Options.MaxBatchSize, 256));
            Fill(reader, works, batch);
            if (Options.MaxBatchDelay > TimeSpan.Zero && batch.Count < Options.MaxBatchSize)
            {
                await Task.Delay(Options.MaxBatchDelay, _timeProvider);
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
        while (batch.Count < Options.MaxBatchSize && reader.TryRead(out var work))
        {
            Interlocked.Add(ref _queued, -work.Count);
            works.Add(work);
            work.AddTo(batch);
        }
    }

    private async Task PersistAsync(List<LinkClick> batch, List<ClickWork> works)
    {
        if (Mover.DatabaseAvailable && !Spool.HasPending)
        {
            try
            {
                using var timeout = new CancellationTokenSource(Options.WriteTimeout, _timeProvider);
                await _writer.WriteAsync(batch, timeout.Token);
                Metrics.Committed.Add(batch.Count);
                Release(works, null);
                return;
            }
            catch (Exception ex)
            {
                Mover.MarkDatabaseUnavailable();
                LogDatabaseWriteFailed(Logger, ex, batch.Count);
            }
        }

        try
        {
            Spool.Append(batch);
            Metrics.Spooled.Add(batch.Count);
            Release(works, null);
        }
        catch (Exception ex)
        {
            // Neither the database nor the disk took the clicks: the requests fail, nothing is acknowledged.
            LogSpoolFailed(Logger, ex, batch.Count);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database write of {Count} clicks failed; spooling to disk until it recovers")]
    private static partial void LogDatabaseWriteFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Could not spool {Count} clicks; their requests fail")]
    private static partial void LogSpoolFailed(ILogger logger, Exception exception, int count);

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
