using LinkTracking.Application.Analytics.Common;
using LinkTracking.Application.Common.Interfaces;
using Mediator;

namespace LinkTracking.Application.Analytics.Queries.GetLinkPerformanceReport;

/// <summary>
/// Link counts cover every link; click counts cover the period only. Functions are ordered by clicks, most
/// first, then by name; <c>avg_clicks_per_link</c> is clicks ÷ links rounded to two decimals. The funnel covers the
/// applications sent in the period (their first link created in it), with all their links, clicks and outcomes so far.
/// </summary>
public sealed class GetLinkPerformanceReportQueryHandler(ILinkAnalyticsQueries analytics, IOutcomeFunnelQueries funnels, IVariantClickQueries variantClicks, TimeProvider timeProvider)
    : IQueryHandler<GetLinkPerformanceReportQuery, LinkPerformanceReportDto>
{
    public async ValueTask<LinkPerformanceReportDto> Handle(GetLinkPerformanceReportQuery query, CancellationToken cancellationToken)
    {
        var zone = AnalyticsTimeZones.Find(query.Tz);
        var period = AnalyticsPeriod.EndingAt(timeProvider.GetUtcNow().UtcDateTime, query.Days, zone);
        var totals = await analytics.GetScopeTotalsAsync(LinkScope.All, period.Start, query.IncludeBots, cancellationToken);
        var functions = await analytics.GetFunctionClicksAsync(LinkScope.All, period.Start, query.IncludeBots, withLastClick: false, cancellationToken);
        var daily = await analytics.GetDailyClicksAsync(LinkScope.All, period.Start, query.IncludeBots, zone, cancellationToken);
        var breakdowns = await analytics.GetBreakdownsAsync(LinkScope.All, period.Start, query.IncludeBots, zone, cancellationToken);
        var byCategory = await analytics.GetClicksByCategoryAsync(LinkScope.All, period.Start, cancellationToken);
        var facts = await funnels.GetAsync(LinkScope.All, period.Start, cancellationToken);
        var variantOutcomes = await variantClicks.GetVariantOutcomesAsync(LinkScope.All, period.Start, cancellationToken);

        return new LinkPerformanceReportDto(
            new ReportPeriodDto(period.Start, period.End, period.Days),
            new OverallStatisticsDto(
                totals.TotalLinks,
                totals.ActiveLinks,
                totals.Jobs,
                totals.Applications,
                totals.TotalClicks,
                totals.UniqueSessions,
                totals.LinksClicked),
            functions
                .OrderByDescending(f => f.Clicks)
                .ThenBy(f => f.LinkFunction, StringComparer.Ordinal)
                .Select(f => new FunctionPerformanceDto(
                    f.LinkFunction,
                    f.Links,
                    f.Clicks,
                    f.UniqueSessions,
                    f.Links == 0 ? 0 : Math.Round((double)f.Clicks / f.Links, 2)))
                .ToList(),
            Timeline.Fill(period, daily),
            byCategory,
            OutcomeFunnel.StepsOf(facts),
            OutcomeFunnel.EngagementOf(facts),
            Breakdowns.ToDto(breakdowns))
        {
            VariantOutcomes = OutcomeFunnel.VariantOutcomesOf(variantOutcomes),
        };
    }
}
