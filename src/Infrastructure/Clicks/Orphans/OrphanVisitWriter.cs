using System.Threading.Channels;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Clicks.Orphans;

/// <summary>
/// Stores orphan visits off the request path: a bounded queue (<see cref="QueueCapacity"/>; a visit that finds it full
/// is dropped) drained in batches. Before each write the day's stored visits are counted and only what fits under
/// <c>OrphanVisits:MaxPerDay</c> is kept (several instances writing at once can overshoot by a batch each). Visits
/// older than <c>OrphanVisits:RetentionDays</c> are deleted once an hour. Orphan visits are best effort: unlike
/// clicks they have no journal, and the ones still queued when the process dies are lost.
/// </summary>
public sealed partial class OrphanVisitWriter(
    IServiceScopeFactory scopes,
    IOptions<OrphanVisitOptions> options,
    TimeProvider timeProvider,
    ILogger<OrphanVisitWriter> logger) : BackgroundService, IOrphanVisitSink
{
    public const int QueueCapacity = 1000;
    public const int BatchSize = 200;
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromHours(1);
    private static readonly TimeSpan MaxFlushWait = TimeSpan.FromSeconds(10);

    private readonly Channel<OrphanVisit> _queue = Channel.CreateBounded<OrphanVisit>(
        new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    private long _queued;
    private long _handled;
    private DateTime _lastPurge = DateTime.MinValue;

    public bool TryEnqueue(OrphanVisit visit)
    {
        // Counted before it can be read, so a flush never returns while it is still on its way.
        Interlocked.Increment(ref _queued);
        if (_queue.Writer.TryWrite(visit))
        {
            return true;
        }

        Interlocked.Increment(ref _handled);
        return false;
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var target = Interlocked.Read(ref _queued);
        var waited = TimeSpan.Zero;
        var step = TimeSpan.FromMilliseconds(10);
        while (Interlocked.Read(ref _handled) < target && waited < MaxFlushWait)
        {
            await Task.Delay(step, cancellationToken);
            waited += step;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<OrphanVisit>(BatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < BatchSize && _queue.Reader.TryRead(out var visit))
                {
                    batch.Add(visit);
                }

                try
                {
                    await WriteAsync(batch, stoppingToken);
                    await PurgeIfDueAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogWriteFailed(ex, batch.Count);
                }
                finally
                {
                    Interlocked.Add(ref _handled, batch.Count);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task WriteAsync(List<OrphanVisit> batch, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>();
        foreach (var day in batch.GroupBy(v => v.VisitedAt.Date))
        {
            var start = DateTime.SpecifyKind(day.Key, DateTimeKind.Utc);
            var end = start.AddDays(1);
            var stored = await db.OrphanVisits.CountAsync(v => v.VisitedAt >= start && v.VisitedAt < end, cancellationToken);
            var room = Math.Max(0, options.Value.MaxPerDay - stored);
            db.OrphanVisits.AddRange(day.Take(room));
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task PurgeIfDueAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        if (now - _lastPurge < PurgeInterval)
        {
            return;
        }

        _lastPurge = now;
        var before = now.AddDays(-options.Value.RetentionDays);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>();
        await db.OrphanVisits.Where(v => v.VisitedAt < before).ExecuteDeleteAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store {Count} orphan visits; they are dropped")]
    private partial void LogWriteFailed(Exception exception, int count);
}
