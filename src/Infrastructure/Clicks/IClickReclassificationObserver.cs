using LinkTracking.Domain.Clicks;
using LinkTracking.Infrastructure.Persistence;

namespace LinkTracking.Infrastructure.Clicks;

/// <summary>A stored click whose category changed after the fact: by a rule over later evidence, or by a user's label.</summary>
/// <param name="Click">The click as it is now (tracked by the context the change is saved with).</param>
/// <param name="From">Its category before the change.</param>
public sealed record ClickReclassified(LinkClick Click, BotCategory From);

/// <summary>
/// Told of every reclassification inside the transaction that saves it (<see cref="ClickReclassifier"/>,
/// <see cref="ClickLabels"/>), before <c>SaveChanges</c>: what an observer adds to the context (an outbox
/// row) commits or rolls back with the change itself, so no reclassification is announced that did not happen, and
/// none that happened goes unannounced.
/// </summary>
public interface IClickReclassificationObserver
{
    Task OnReclassifiedAsync(LinkTrackingDbContext db, IReadOnlyList<ClickReclassified> changes, CancellationToken cancellationToken);
}
