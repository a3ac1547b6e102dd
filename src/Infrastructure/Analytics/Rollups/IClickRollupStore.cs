using System.Data.Common;

namespace LinkTracking.Infrastructure.Analytics.Rollups;

/// <summary>
/// The SQL of the rollups for one database provider (ADR 0021). Clicks are written raw, each with a sequence number
/// (<c>link_clicks.seq</c>); <see cref="RollUpAsync"/> aggregates, after the clicks' commit, every click whose number
/// is above the watermark and up to a bound below which no writer is still in flight, and advances the watermark in
/// the same transaction. Corrections of stored clicks (reclassification, erasure, anonymisation) apply exact deltas
/// (<see cref="ApplyAsync"/>) for the clicks already rolled up (<see cref="RolledUpAsync"/>); the worker counts the
/// others as they are when it gets to them.
/// </summary>
public interface IClickRollupStore
{
    /// <summary>Whether distinct sessions and addresses are HyperLogLog estimates or exact counts.</summary>
    string UniqueCounts { get; }

    /// <summary>
    /// One round of the rollup worker: aggregates the clicks committed since the watermark and advances it, in one
    /// transaction; recomputes the distinct-key sketches that corrections marked. <paramref name="beforeCounting"/>
    /// runs first over the window's numbers (from, to] — the reclassification of bursts and decoys around them — and
    /// the round counts no click beyond it. Returns what it covered, or null when the safe bound could not be taken in
    /// time (a writer kept its transaction open): the next round tries again and misses nothing.
    /// </summary>
    Task<RollupRound?> RollUpAsync(
        DbConnection connection, TimeProvider clock, Func<long, long, CancellationToken, Task>? beforeCounting, CancellationToken cancellationToken);

    /// <summary>The watermark: the clicks with a sequence number up to it are counted, and when that was fixed.</summary>
    Task<RollupRound> WatermarkAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>About how many clicks are numbered (stored, or being stored) above the watermark: the worker's backlog.</summary>
    Task<long> BacklogAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// Of <paramref name="clickIds"/>, those the rollups already count. Inside <paramref name="transaction"/>, it also
    /// keeps the worker from moving the watermark past them until the transaction ends, so a correction applied to
    /// exactly these clicks is neither missed nor counted twice.
    /// </summary>
    Task<IReadOnlySet<Guid>> RolledUpAsync(DbConnection connection, DbTransaction transaction, IReadOnlyCollection<Guid> clickIds, CancellationToken cancellationToken);

    /// <summary>Adds a correction's exact delta to the counts, and marks the link-hours whose sketches it changes.</summary>
    Task ApplyAsync(DbConnection connection, DbTransaction transaction, ClickRollupDelta delta, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces every rollup with one computed from <c>link_clicks</c> by set-based SQL independent of the worker's,
    /// in one transaction that keeps clicks from changing meanwhile, and sets the watermark to the last click counted.
    /// Returns the number of clicks counted.
    /// </summary>
    Task<long> RebuildAsync(DbConnection connection, CancellationToken cancellationToken);
}

/// <summary>
/// What a rollup round covered: the clicks numbered up to <paramref name="Watermark"/>, which hold every click
/// committed before <paramref name="CoveredAt"/>; <paramref name="Clicks"/> of them were new in this round.
/// </summary>
public sealed record RollupRound(long Watermark, DateTime CoveredAt, long Clicks);

/// <summary>The words of <c>unique_counts</c>.</summary>
public static class UniqueCountKinds
{
    public const string Estimate = "estimate";
    public const string Exact = "exact";
}
