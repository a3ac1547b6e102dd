using System.Diagnostics;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Infrastructure.Analytics.Rollups;
using LinkTracking.Infrastructure.Clicks;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Analytics;

/// <summary>
/// Read-your-writes, bounded (ADR 0021): a read asks the journal's mover to copy what this node acknowledged into the
/// database, then the rollup worker for a round, and waits for both at most <c>Analytics:MaxReadWait</c>. When both
/// finish, every click acknowledged before the read is counted: <c>data_as_of</c> is the read's own instant. Otherwise
/// the read answers with what is counted — up to the last round's bound, or the oldest click still in this node's
/// spool if that is earlier — and the copy and the round go on in the background.
/// <para>
/// A wait that cannot end in time is not begun: when the clicks waiting to be counted (stored above the watermark,
/// and this node's spool) would take the worker longer than <c>Analytics:CatchUpLimit</c> at its measured pace, after
/// the round it is running now, the read answers at once. A partner's thousand clicks are counted and seen; a
/// dashboard during a redirect load, a backfill or after an outage answers without waiting out <c>MaxReadWait</c> for
/// nothing.
/// </para>
/// </summary>
public sealed class AnalyticsFreshness(
    IClickRecorder recorder,
    ClickSpool spool,
    RollupWorker worker,
    IClickRollupStore store,
    IOptions<AnalyticsOptions> options) : IAnalyticsFreshness
{
    // Wall-clock time, as the mover's and the worker's: how fresh the counts are is a fact of ingest, not of the
    // business clock that tests fake.
    private readonly TimeProvider _clock = TimeProvider.System;

    /// <summary>
    /// The pace assumed at the least (clicks a second): before the worker has measured its own, and when a cold
    /// worker's rounds measured less, a backlog this small is still waited for (the worker here counts 8,000–10,000
    /// a second, bench/RESULTS.md).
    /// </summary>
    public const double AssumedPace = 5_000;

    /// <summary>The spool's bytes a click is taken to need (a browser's click with its agent and referrer: about this).</summary>
    public const long SpooledClickBytes = 1_024;

    public async Task<DataFreshness> AwaitAsync(CancellationToken cancellationToken)
    {
        var asked = _clock.GetUtcNow().UtcDateTime;
        var started = Stopwatch.GetTimestamp();
        var wait = options.Value.MaxReadWait;
        try
        {
            // On the thread pool: SQLite's driver works synchronously, so a move or a round would otherwise run to its end
            // on this thread before the wait could give up.
            var backlog = await Task.Run(() => worker.BacklogAsync(cancellationToken), cancellationToken).WaitAsync(wait, cancellationToken);
            if (CountableWithin(backlog + (spool.PendingBytes / SpooledClickBytes), worker.Pace, worker.RoundRemaining, options.Value.CatchUpLimit))
            {
                await Task.Run(() => recorder.FlushAsync(cancellationToken).AsTask(), cancellationToken).WaitAsync(Remaining(started, wait), cancellationToken);
                // The mover gives up while the database is unreachable: then clicks acknowledged before the read are left.
                var copied = !spool.HasPending || spool.BacklogAge < Stopwatch.GetElapsedTime(started);
                if (copied && await Task.Run(() => worker.RollUpNowAsync(cancellationToken), cancellationToken)
                        .WaitAsync(Remaining(started, wait), cancellationToken) is not null)
                {
                    return new DataFreshness(asked, store.UniqueCounts);
                }
            }
        }
        catch (TimeoutException)
        {
            // Answer with what is counted; the copy and the round go on.
        }

        // This node's last round (every node runs one each interval); the stored watermark only before its first, and
        // if the database does not answer that either, nothing is known to be counted.
        var asOf = worker.Last?.CoveredAt ?? await StoredWatermarkAsync(cancellationToken);
        if (spool.HasPending)
        {
            var oldestWaiting = _clock.GetUtcNow().UtcDateTime - spool.BacklogAge;
            asOf = oldestWaiting < asOf ? oldestWaiting : asOf;
        }

        return new DataFreshness(asOf, store.UniqueCounts);
    }

    /// <summary>
    /// Whether <paramref name="clicks"/> waiting to be counted, after the round still running for
    /// <paramref name="roundRemaining"/>, take no longer than <paramref name="limit"/> at <paramref name="pace"/>
    /// (clicks a second, <see cref="AssumedPace"/> at the least).
    /// </summary>
    public static bool CountableWithin(long clicks, double? pace, TimeSpan roundRemaining, TimeSpan limit) =>
        roundRemaining.TotalSeconds + (clicks / Math.Max(pace ?? 0, AssumedPace)) <= limit.TotalSeconds;

    private async Task<DateTime> StoredWatermarkAsync(CancellationToken cancellationToken)
    {
        try
        {
            var stored = await Task.Run(() => worker.WatermarkAsync(cancellationToken), cancellationToken).WaitAsync(TimeSpan.FromSeconds(1), cancellationToken);
            return stored.CoveredAt;
        }
        catch (TimeoutException)
        {
            return DateTime.UnixEpoch;
        }
    }

    private static TimeSpan Remaining(long started, TimeSpan wait)
    {
        var left = wait - Stopwatch.GetElapsedTime(started);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}
