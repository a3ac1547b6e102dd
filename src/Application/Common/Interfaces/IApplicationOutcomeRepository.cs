using LinkTracking.Domain.Outcomes;

namespace LinkTracking.Application.Common.Interfaces;

/// <summary>Persistence of <see cref="ApplicationOutcome"/>s; writes join the request's unit of work.</summary>
public interface IApplicationOutcomeRepository
{
    Task<ApplicationOutcome?> FindAsync(Guid applicationId, Guid id, CancellationToken cancellationToken);

    /// <summary>The outcome recorded for the application with that <c>event_id</c>; null when none.</summary>
    Task<ApplicationOutcome?> FindByEventIdAsync(Guid applicationId, string eventId, CancellationToken cancellationToken);

    /// <summary>An application's outcomes, oldest first by <c>occurred_at</c>, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ApplicationOutcome>> ListAsync(Guid applicationId, int limit, CancellationToken cancellationToken);

    void Add(ApplicationOutcome outcome);

    void Remove(ApplicationOutcome outcome);

    /// <summary>Whether a failed save failed because another request recorded the same <c>event_id</c> first.</summary>
    bool IsDuplicateEventId(Exception exception);
}
