using LinkTracking.Application.Analytics.Common;
using LinkTracking.Application.Common.Interfaces;
using Mediator;

namespace LinkTracking.Application.Analytics.Queries.GetApplicationLinkSummary;

public sealed class GetApplicationLinkSummaryQueryHandler(LinkSummaryBuilder builder, IVariantClickQueries variantClicks)
    : IQueryHandler<GetApplicationLinkSummaryQuery, ApplicationLinkSummaryDto>
{
    public async ValueTask<ApplicationLinkSummaryDto> Handle(GetApplicationLinkSummaryQuery query, CancellationToken cancellationToken)
    {
        var scope = LinkScope.ForApplication(query.ApplicationId);
        var (totals, functions, byCategory, breakdowns) = await builder.BuildAsync(scope, query.IncludeBots, query.Tz, cancellationToken);
        var variants = await variantClicks.GetScopeVariantClicksAsync(scope, query.IncludeBots, cancellationToken);
        return new ApplicationLinkSummaryDto(query.ApplicationId, totals.TotalLinks, totals.TotalClicks, totals.UniqueSessions, functions, byCategory, breakdowns)
        {
            Variants = VariantStatistics.ForLinks(variants),
        };
    }
}
