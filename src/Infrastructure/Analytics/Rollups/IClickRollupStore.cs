using System.Data.Common;

namespace LinkTracking.Infrastructure.Analytics.Rollups;

/// <summary>
/// The SQL of the rollup tables for one database provider: applying a <see cref="ClickRollupDelta"/> inside the
/// caller's transaction, and rebuilding every rollup from the raw clicks.
/// </summary>
public interface IClickRollupStore
{
    /// <summary>Adds the delta to the rollups on <paramref name="connection"/>, in <paramref name="transaction"/>.</summary>
    Task ApplyAsync(DbConnection connection, DbTransaction transaction, ClickRollupDelta delta, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces every rollup with one computed from <c>link_clicks</c> by a single <c>GROUP BY</c> (an implementation
    /// independent of <see cref="ClickRollupDelta"/>), in one transaction that keeps clicks from changing meanwhile.
    /// Returns the number of clicks counted.
    /// </summary>
    Task<long> RebuildAsync(DbConnection connection, CancellationToken cancellationToken);
}
