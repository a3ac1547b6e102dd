using LinkTracking.Application.Analytics.Common;
using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Mapping;
using LinkTracking.Domain.Clicks;
using Mediator;

namespace LinkTracking.Application.Analytics.Queries.GetLinkAnalytics;

public sealed class GetLinkAnalyticsQueryHandler(
    ITrackedLinkRepository links,
    ILinkAnalyticsQueries analytics,
    IVariantClickQueries variantClicks,
    LinkDtoMapper mapper,
    TimeProvider timeProvider) : IQueryHandler<GetLinkAnalyticsQuery, LinkAnalyticsDto>
{
    public const int RecentClickCount = 10;

    public async ValueTask<LinkAnalyticsDto> Handle(GetLinkAnalyticsQuery query, CancellationToken cancellationToken)
    {
        var link = await links.GetByTrackingIdAsync(query.TrackingId, cancellationToken)
            ?? throw NotFoundException.For("Link", query.TrackingId);
        var zone = AnalyticsTimeZones.Find(query.Tz);
        var period = AnalyticsPeriod.EndingAt(timeProvider.GetUtcNow().UtcDateTime, query.Days, zone);

        var totals = await analytics.GetLinkTotalsAsync(query.TrackingId, period.Start, period.End, query.IncludeBots, cancellationToken);
        var daily = await analytics.GetDailyClicksAsync(LinkScope.ForLink(query.TrackingId), period.Start, query.IncludeBots, zone, cancellationToken);
        var breakdowns = await analytics.GetBreakdownsAsync(LinkScope.ForLink(query.TrackingId), period.Start, query.IncludeBots, zone, cancellationToken);
        var recent = await analytics.GetRecentClicksAsync(query.TrackingId, RecentClickCount, query.IncludeBots, cancellationToken);
        var byCategory = await analytics.GetClicksByCategoryAsync(LinkScope.ForLink(query.TrackingId), period.Start, cancellationToken);
        var variants = await variantClicks.GetVariantClicksAsync(query.TrackingId, period.Start, query.IncludeBots, cancellationToken);

        return new LinkAnalyticsDto(
            mapper.ToDto(link),
            new ClickStatisticsDto(
                totals.TotalClicks,
                totals.UniqueSessions,
                totals.UniqueIps,
                totals.BotClicks,
                totals.Clicks24H,
                totals.Clicks7D,
                totals.FirstClick,
                totals.LastClick,
                totals.ClicksBySource,
                byCategory),
            Timeline.Fill(period, daily),
            recent.Select(r => new RecentClickDto(
                r.Id,
                r.ClickedAt,
                r.ClickSource,
                r.IpAddress is null ? null : IpAddresses.Partial(r.IpAddress),
                query.IncludeBots ? r.BotCategory.Name() : null,
                query.IncludeBots ? ClickSignals.Split(r.Signals) : null)).ToList(),
            Breakdowns.ToDto(breakdowns))
        {
            Variants = VariantStatistics.For(link.Variants, variants),
        };
    }
}
