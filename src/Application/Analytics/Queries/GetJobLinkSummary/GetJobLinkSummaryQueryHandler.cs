using LinkTracking.Application.Analytics.Common;
using LinkTracking.Application.Common.Interfaces;
using Mediator;

namespace LinkTracking.Application.Analytics.Queries.GetJobLinkSummary;

public sealed class GetJobLinkSummaryQueryHandler(LinkSummaryBuilder builder) : IQueryHandler<GetJobLinkSummaryQuery, JobLinkSummaryDto>
{
    public async ValueTask<JobLinkSummaryDto> Handle(GetJobLinkSummaryQuery query, CancellationToken cancellationToken)
    {
        var (totals, functions, byCategory, breakdowns) = await builder.BuildAsync(LinkScope.ForJob(query.JobId), query.IncludeBots, query.Tz, cancellationToken);
        return new JobLinkSummaryDto(query.JobId, totals.TotalLinks, totals.TotalClicks, totals.UniqueSessions, functions, byCategory, breakdowns);
    }
}
