using LinkTracking.Application.Common.Interfaces;
using Mediator;

namespace LinkTracking.Application.Analytics.Queries.ListJobActivity;

public sealed class ListJobActivityQueryHandler(ILinkActivityQueries activity) : IQueryHandler<ListJobActivityQuery, IReadOnlyList<JobActivityDto>>
{
    public async ValueTask<IReadOnlyList<JobActivityDto>> Handle(ListJobActivityQuery query, CancellationToken cancellationToken)
    {
        var jobs = await activity.GetJobActivityAsync(query.Limit, cancellationToken);
        return jobs.Select(j => new JobActivityDto(j.JobId, j.Applications, j.Links, j.HumanClicks, j.LastHumanClick)).ToList();
    }
}
