using LinkTracking.Domain.Clicks;

namespace LinkTracking.Application.Common.Interfaces;

/// <summary>Takes orphan visits off the redirect path and stores them in the background.</summary>
public interface IOrphanVisitSink
{
    /// <summary>Queues a visit; false (and nothing kept) when the queue is full. Never blocks.</summary>
    bool TryEnqueue(OrphanVisit visit);

    /// <summary>Waits until the visits queued so far are stored (or dropped by the daily cap).</summary>
    Task FlushAsync(CancellationToken cancellationToken);
}

/// <summary>Reads of the stored orphan visits.</summary>
public interface IOrphanVisitQueries
{
    /// <summary>Visits per UTC day since <paramref name="from"/>.</summary>
    Task<IReadOnlyList<(DateOnly Day, int Visits)>> CountByDayAsync(DateTime from, CancellationToken cancellationToken);

    /// <summary>The latest <paramref name="limit"/> visits since <paramref name="from"/>, newest first.</summary>
    Task<IReadOnlyList<OrphanVisit>> LatestAsync(DateTime from, int limit, CancellationToken cancellationToken);
}
