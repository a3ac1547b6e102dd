using System.Diagnostics;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Analytics.Rollups;

/// <summary>
/// Counts the clicks committed since the watermark every <c>Analytics:RollupInterval</c> (ADR 0021), on every node,
/// after reclassifying bursts and decoys around them (<see cref="Clicks.ClickReclassifier.ReclassifyWindowAsync"/>):
/// rounds on several nodes take the watermark row in turn, so each click is counted by exactly one of them. A read
/// that waits for fresh counts asks for a round at once (<see cref="RollUpNowAsync"/>); requests that arrive during a
/// round share the next one.
/// </summary>
public sealed partial class RollupWorker(
    IServiceScopeFactory scopes,
    IClickRollupStore store,
    Clicks.ClickReclassifier reclassifier,
    IOptions<AnalyticsOptions> options,
    ILogger<RollupWorker> logger) : BackgroundService
{
    // The rounds run on wall-clock time, not on the business clock that tests fake.
    private readonly TimeProvider _clock = TimeProvider.System;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _lastCountedRoundStarted;
    private RollupRound? _last;
    private double _pace;
    private long _roundStarted;
    private long _lastRoundTicks;

    /// <summary>The last round this node finished, if any.</summary>
    public RollupRound? Last => Volatile.Read(ref _last);

    /// <summary>
    /// Clicks a second this node's recent rounds counted (reclassification included), from rounds of at least
    /// <see cref="PacedRound"/> clicks (a smaller round's time is mostly its fixed cost); null before the first.
    /// </summary>
    public double? Pace => Volatile.Read(ref _pace) is > 0 and var pace ? pace : null;

    /// <summary>The fewest clicks a round counts for <see cref="Pace"/> to learn from it.</summary>
    public const int PacedRound = 1_000;

    /// <summary>
    /// About how long the round running now still takes (the last round's length less the time this one has run, when
    /// the last counted <see cref="PacedRound"/> clicks or more); zero when none runs. A read that waits for a round of
    /// its own waits for this one first.
    /// </summary>
    public TimeSpan RoundRemaining
    {
        get
        {
            var started = Interlocked.Read(ref _roundStarted);
            if (started == 0)
            {
                return TimeSpan.Zero;
            }

            var left = TimeSpan.FromTicks(Interlocked.Read(ref _lastRoundTicks)) - Stopwatch.GetElapsedTime(started);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>
    /// Runs a round that starts after the call (or returns one that did meanwhile). Null when the round could not take
    /// its bound in time; the clicks are counted by a later one.
    /// </summary>
    public async Task<RollupRound?> RollUpNowAsync(CancellationToken cancellationToken)
    {
        var asked = Stopwatch.GetTimestamp();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // A round that counted (not one that could not take its bound) and started after the call answers it.
            if (Interlocked.Read(ref _lastCountedRoundStarted) > asked && Last is { } shared)
            {
                return shared;
            }

            var started = Stopwatch.GetTimestamp();
            Interlocked.Exchange(ref _roundStarted, started);
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>();
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                var round = await store.RollUpAsync(
                    db.Database.GetDbConnection(), _clock, (from, to, ct) => reclassifier.ReclassifyWindowAsync(from, to, ct), cancellationToken);
                // Only a round of a real backlog predicts the next one's length: a cold round's time is its start-up.
                Interlocked.Exchange(ref _lastRoundTicks, round?.Clicks >= PacedRound ? Stopwatch.GetElapsedTime(started).Ticks : 0);
                if (round is not null)
                {
                    Volatile.Write(ref _last, round);
                    Interlocked.Exchange(ref _lastCountedRoundStarted, started);
                    if (round.Clicks >= PacedRound)
                    {
                        // A moving average: the pace follows the load without one odd round deciding it.
                        var pace = round.Clicks / Math.Max(Stopwatch.GetElapsedTime(started).TotalSeconds, 0.001);
                        var previous = Volatile.Read(ref _pace);
                        Volatile.Write(ref _pace, previous > 0 ? (previous + pace) / 2 : pace);
                    }
                }

                return round;
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
                Interlocked.Exchange(ref _roundStarted, 0);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The stored watermark (another node's round may have moved it since this node's last).</summary>
    public Task<RollupRound> WatermarkAsync(CancellationToken cancellationToken) => OnConnectionAsync(store.WatermarkAsync, cancellationToken);

    /// <summary>About how many stored clicks wait to be counted (<see cref="IClickRollupStore.BacklogAsync"/>).</summary>
    public Task<long> BacklogAsync(CancellationToken cancellationToken) => OnConnectionAsync(store.BacklogAsync, cancellationToken);

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

    private async Task<T> OnConnectionAsync<T>(Func<System.Data.Common.DbConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            return await read(db.Database.GetDbConnection(), cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(options.Value.RollupInterval, _clock, RoundAsync, LogFailed, stoppingToken);

    private async Task RoundAsync(CancellationToken cancellationToken)
    {
        var round = await RollUpNowAsync(cancellationToken);
        if (round is null)
        {
            LogBoundNotTaken();
        }
        else if (round.Clicks > 0)
        {
            LogRolledUp(round.Clicks, round.Watermark);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rolled up {Clicks} clicks; watermark {Watermark}")]
    private partial void LogRolledUp(long clicks, long watermark);

    [LoggerMessage(Level = LogLevel.Information, Message = "A rollup round could not take its bound in time (a click writer kept its transaction open); the next round counts what it missed")]
    private partial void LogBoundNotTaken();

    [LoggerMessage(Level = LogLevel.Warning, Message = "A rollup round failed; retrying at the next interval")]
    private partial void LogFailed(Exception exception);
}
