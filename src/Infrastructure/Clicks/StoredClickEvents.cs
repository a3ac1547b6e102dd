using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.Clicks;

/// <summary>Stored partner events by click id: one primary-key query for a whole batch.</summary>
public sealed class StoredClickEvents(LinkTrackingDbContext db) : IStoredClickEvents
{
    public async Task<IReadOnlyDictionary<Guid, ClickReceipt>> FindAsync(IReadOnlyCollection<Guid> clickIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clickIds);
        var ids = clickIds.ToList();
        var rows = await db.Clicks.AsNoTracking()
            .Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.TrackingId, c.ClickedAt, c.ClickSource })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(
            r => r.Id,
            r => new ClickReceipt(r.Id, r.TrackingId.Value, DateTime.SpecifyKind(r.ClickedAt, DateTimeKind.Utc), r.ClickSource));
    }
}
