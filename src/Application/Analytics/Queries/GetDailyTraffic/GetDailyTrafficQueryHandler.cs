using LinkTracking.Application.Analytics.Common;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;
using Mediator;

namespace LinkTracking.Application.Analytics.Queries.GetDailyTraffic;

/// <summary>One entry per day of the period, oldest first; days without clicks are zero.</summary>
public sealed class GetDailyTrafficQueryHandler(ILinkActivityQueries activity, TimeProvider timeProvider)
    : IQueryHandler<GetDailyTrafficQuery, DailyTrafficDto>
{
    public async ValueTask<DailyTrafficDto> Handle(GetDailyTrafficQuery query, CancellationToken cancellationToken)
    {
        var period = AnalyticsPeriod.EndingAt(timeProvider.GetUtcNow().UtcDateTime, query.Days);
        var rows = await activity.GetDailyClicksByCategoryAsync(period.Start, cancellationToken);
        var byDay = rows.ToLookup(r => r.Date);

        var days = new List<DayTrafficDto>(period.Days);
        for (var i = 0; i < period.Days; i++)
        {
            var day = period.FirstDay.AddDays(i);
            var counts = byDay[day].ToList();
            days.Add(new DayTrafficDto(
                day,
                counts.Where(r => r.Category == BotCategory.Human).Sum(r => r.Clicks),
                counts.Where(r => r.Category == BotCategory.Scanner).Sum(r => r.Clicks),
                counts.Where(r => r.Category is not (BotCategory.Human or BotCategory.Scanner)).Sum(r => r.Clicks)));
        }

        return new DailyTrafficDto(period.Start, period.End, days);
    }
}
