using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Links;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.Persistence.Repositories;

public sealed class LinkChangeLog(LinkTrackingDbContext db) : ILinkChangeLog
{
    public void AddRange(IEnumerable<LinkChange> changes) => db.LinkChanges.AddRange(changes);

    public async Task<IReadOnlyList<LinkChange>> ListAsync(Guid linkId, int limit, CancellationToken cancellationToken) =>
        await db.LinkChanges.AsNoTracking()
            .Where(c => c.LinkId == linkId)
            .OrderBy(c => c.ChangedAt)
            .ThenBy(c => c.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);
}
