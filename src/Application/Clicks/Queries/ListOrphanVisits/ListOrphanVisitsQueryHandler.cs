using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;
using Mediator;

namespace LinkTracking.Application.Clicks.Queries.ListOrphanVisits;

public sealed class ListOrphanVisitsQueryHandler(IOrphanVisitSink sink, IOrphanVisitQueries visits, TimeProvider timeProvider)
    : IQueryHandler<ListOrphanVisitsQuery, OrphanVisitsDto>
{
    public async ValueTask<OrphanVisitsDto> Handle(ListOrphanVisitsQuery query, CancellationToken cancellationToken)
    {
        await sink.FlushAsync(cancellationToken);
        var today = DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
        var firstDay = today.AddDays(1 - query.Days);
        var from = firstDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var counts = (await visits.CountByDayAsync(from, cancellationToken)).ToDictionary(c => c.Day, c => c.Visits);
        var byDay = Enumerable.Range(0, query.Days)
            .Select(i => firstDay.AddDays(i))
            .Select(day => new OrphanVisitDayDto(day, counts.GetValueOrDefault(day)))
            .ToList();
        var latest = await visits.LatestAsync(from, ListOrphanVisitsQuery.MaxVisits, cancellationToken);
        return new OrphanVisitsDto(
            query.Days,
            byDay.Sum(d => d.Visits),
            byDay,
            latest.Select(v => new OrphanVisitDto(v.VisitedAt, v.Path, v.IpPartial, v.UserAgent, v.Referrer, v.BotCategory.Name())).ToList());
    }
}
