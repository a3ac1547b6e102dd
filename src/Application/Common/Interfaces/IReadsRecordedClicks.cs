namespace LinkTracking.Application.Common.Interfaces;

/// <summary>
/// Marks a message whose handler reads counted clicks. <see cref="Behaviours.RecordedClicksBehaviour{TMessage, TResponse}"/>
/// waits, at most <c>Analytics:MaxReadWait</c>, for the clicks acknowledged before the request to be counted
/// (<see cref="IAnalyticsFreshness"/>), then lets the handler answer with what is counted, and stamps an answer that
/// says how fresh it is (<see cref="IFreshAnswer"/>).
/// </summary>
public interface IReadsRecordedClicks;

/// <summary>
/// Marks a message that must see every acknowledged click, whatever the backlog (an erasure must not miss a click
/// still on its way from the journal): the behaviour copies the whole journal into the database first.
/// </summary>
public interface IChangesRecordedClicks;

/// <summary>An answer that says up to when clicks are counted in it, and whether its distinct counts are estimates.</summary>
public interface IFreshAnswer
{
    void Stamp(DataFreshness freshness);
}

/// <summary>
/// Up to which instant acknowledged clicks are counted (<c>data_as_of</c>), and whether distinct sessions and
/// addresses are HyperLogLog estimates or exact (<c>unique_counts</c>: <c>estimate</c> on PostgreSQL, <c>exact</c> on
/// SQLite).
/// </summary>
public sealed record DataFreshness(DateTime DataAsOf, string UniqueCounts);

/// <summary>How fresh the counted clicks are, waiting a bounded time for the ones acknowledged before the call.</summary>
public interface IAnalyticsFreshness
{
    /// <summary>
    /// Waits until the clicks acknowledged before the call are counted, or <c>Analytics:MaxReadWait</c> has passed,
    /// and says up to when clicks are counted. Never fails because of a backlog.
    /// </summary>
    Task<DataFreshness> AwaitAsync(CancellationToken cancellationToken);
}
