using LinkTracking.Application.Common.Interfaces;
using Mediator;

namespace LinkTracking.Application.Analytics.Queries.ListApplicationActivity;

public sealed class ListApplicationActivityQueryHandler(ILinkActivityQueries activity)
    : IQueryHandler<ListApplicationActivityQuery, IReadOnlyList<ApplicationActivityDto>>
{
    public async ValueTask<IReadOnlyList<ApplicationActivityDto>> Handle(ListApplicationActivityQuery query, CancellationToken cancellationToken)
    {
        var applications = await activity.GetApplicationActivityAsync(query.JobId, query.FirstHumanClickFrom, query.Limit, cancellationToken);
        return applications
            .Select(a => new ApplicationActivityDto(a.ApplicationId, a.JobId, a.Links, a.HumanClicks, a.FirstHumanClick, a.LastHumanClick))
            .ToList();
    }
}
