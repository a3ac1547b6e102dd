using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.Clicks.Orphans;

public sealed class OrphanVisitQueries(LinkTrackingDbContext db, BoundedReads reads) : IOrphanVisitQueries
{
    public Task<IReadOnlyList<(DateOnly Day, int Visits)>> CountByDayAsync(DateTime from, CancellationToken cancellationToken) =>
        reads.RunAsync<IReadOnlyList<(DateOnly Day, int Visits)>>(
            async ct =>
            {
                var rows = await db.OrphanVisits.AsNoTracking()
                    .Where(v => v.VisitedAt >= from)
                    .GroupBy(v => v.VisitedAt.Date)
                    .Select(g => new { Day = g.Key, Visits = g.Count() })
                    .ToListAsync(ct);
                return rows.Select(r => (DateOnly.FromDateTime(r.Day), r.Visits)).ToList();
            },
            cancellationToken);

    public Task<IReadOnlyList<OrphanVisit>> LatestAsync(DateTime from, int limit, CancellationToken cancellationToken) =>
        reads.RunAsync<IReadOnlyList<OrphanVisit>>(
            async ct => await db.OrphanVisits.AsNoTracking()
                .Where(v => v.VisitedAt >= from)
                .OrderByDescending(v => v.VisitedAt)
                .ThenByDescending(v => v.Id)
                .Take(limit)
                .ToListAsync(ct),
            cancellationToken);
}
