using LinkTracking.Application.Analytics.Common;
using LinkTracking.Application.Common.Interfaces;
using Mediator;

namespace LinkTracking.Application.Analytics.Queries.GetJobLinkSummary;

public sealed class GetJobLinkSummaryQueryHandler(LinkSummaryBuilder builder, IOutcomeFunnelQueries funnels, IVariantClickQueries variantClicks) : IQueryHandler<GetJobLinkSummaryQuery, JobLinkSummaryDto>
{
    public async ValueTask<JobLinkSummaryDto> Handle(GetJobLinkSummaryQuery query, CancellationToken cancellationToken)
    {
        var scope = LinkScope.ForJob(query.JobId);
        var (totals, functions, byCategory, breakdowns) = await builder.BuildAsync(scope, query.IncludeBots, query.Tz, cancellationToken);
        var facts = await funnels.GetAsync(scope, sentFrom: null, cancellationToken);
        var variants = await variantClicks.GetScopeVariantClicksAsync(scope, query.IncludeBots, cancellationToken);
        var variantOutcomes = await variantClicks.GetVariantOutcomesAsync(scope, sentFrom: null, cancellationToken);
        return new JobLinkSummaryDto(
            query.JobId,
            totals.TotalLinks,
            totals.TotalClicks,
            totals.UniqueSessions,
            functions,
            byCategory,
            OutcomeFunnel.StepsOf(facts),
            OutcomeFunnel.EngagementOf(facts),
            breakdowns)
        {
            Variants = VariantStatistics.ForLinks(variants),
            VariantOutcomes = OutcomeFunnel.VariantOutcomesOf(variantOutcomes),
        };
    }
}
