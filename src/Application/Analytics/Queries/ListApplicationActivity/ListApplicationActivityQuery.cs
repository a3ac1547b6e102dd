using LinkTracking.Application.Common.Interfaces;
using Mediator;

namespace LinkTracking.Application.Analytics.Queries.ListApplicationActivity;

/// <summary>
/// Applications with links and their human clicks: of one job when <see cref="JobId"/> is set; with
/// <see cref="FirstHumanClickFrom"/>, only those a person clicked for the first time on or after it.
/// </summary>
public sealed record ListApplicationActivityQuery(
    Guid? JobId = null,
    DateTime? FirstHumanClickFrom = null,
    int Limit = ListApplicationActivityQuery.DefaultLimit) : IQuery<IReadOnlyList<ApplicationActivityDto>>, IReadsRecordedClicks
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;
}

public sealed record ApplicationActivityDto(Guid ApplicationId, Guid? JobId, int Links, int HumanClicks, DateTime? FirstHumanClick, DateTime? LastHumanClick);
