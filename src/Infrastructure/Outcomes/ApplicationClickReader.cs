using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.Outcomes;

/// <summary>
/// Reads an application's clicks through its links (indexed by <c>application_id</c>, clicks by tracking id and time),
/// bounded by a row limit and <see cref="BoundedReads"/>' timeout.
/// </summary>
public sealed class ApplicationClickReader(LinkTrackingDbContext db, BoundedReads reads) : IApplicationClickReader
{
    public Task<IReadOnlyList<ApplicationClick>> ListNewestAsync(Guid applicationId, int limit, CancellationToken cancellationToken) =>
        reads.RunAsync<IReadOnlyList<ApplicationClick>>(async token =>
        {
            var rows = await (
                    from c in db.Clicks.AsNoTracking()
                    join l in db.Links.AsNoTracking().Where(l => l.ApplicationId == applicationId) on c.TrackingId equals l.TrackingId
                    orderby c.ClickedAt descending, c.Id descending
                    select new { c.Id, c.TrackingId, l.LinkFunction, c.ClickedAt, c.BotCategory, c.Signals, c.Country, c.DeviceType })
                .Take(limit)
                .ToListAsync(token);
            return [.. rows.Select(r => new ApplicationClick(
                r.Id, r.TrackingId.Value, r.LinkFunction, DateTime.SpecifyKind(r.ClickedAt, DateTimeKind.Utc), r.BotCategory, r.Signals, r.Country, r.DeviceType))];
        }, cancellationToken);
}
