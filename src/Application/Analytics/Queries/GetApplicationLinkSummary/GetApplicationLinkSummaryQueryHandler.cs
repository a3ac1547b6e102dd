using LinkTracking.Application.Analytics.Common;
using LinkTracking.Application.Common.Interfaces;
using Mediator;

namespace LinkTracking.Application.Analytics.Queries.GetApplicationLinkSummary;

public sealed class GetApplicationLinkSummaryQueryHandler(LinkSummaryBuilder builder)
    : IQueryHandler<GetApplicationLinkSummaryQuery, ApplicationLinkSummaryDto>
{
    public async ValueTask<ApplicationLinkSummaryDto> Handle(GetApplicationLinkSummaryQuery query, CancellationToken cancellationToken)
    {
        var (totals, functions, byCategory, breakdowns) = await builder.BuildAsync(LinkScope.ForApplication(query.ApplicationId), query.IncludeBots, query.Tz, cancellationToken);
        return new ApplicationLinkSummaryDto(query.ApplicationId, totals.TotalLinks, totals.TotalClicks, totals.UniqueSessions, functions, byCategory, breakdowns);
    }
}
