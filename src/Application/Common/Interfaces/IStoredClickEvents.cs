namespace LinkTracking.Application.Common.Interfaces;

/// <summary>
/// Partner clicks already stored under their <c>event_id</c>, found by click id (an event's click id is derived from its
/// tracking id and event id, so a retry has the id of the first attempt).
/// </summary>
public interface IStoredClickEvents
{
    /// <summary>The stored clicks among <paramref name="clickIds"/>; an id not stored is absent from the answer.</summary>
    Task<IReadOnlyDictionary<Guid, ClickReceipt>> FindAsync(IReadOnlyCollection<Guid> clickIds, CancellationToken cancellationToken);
}

/// <summary>What a partner is answered for a stored click.</summary>
public sealed record ClickReceipt(Guid ClickId, string TrackingId, DateTime ClickedAt, string ClickSource);
