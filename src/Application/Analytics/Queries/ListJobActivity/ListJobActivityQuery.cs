using LinkTracking.Application.Common.Interfaces;
using Mediator;

namespace LinkTracking.Application.Analytics.Queries.ListJobActivity;

/// <summary>Jobs with links and their human clicks, the most recently created links first.</summary>
public sealed record ListJobActivityQuery(int Limit = ListJobActivityQuery.DefaultLimit) : IQuery<IReadOnlyList<JobActivityDto>>, IReadsRecordedClicks
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;
}

public sealed record JobActivityDto(Guid JobId, int Applications, int Links, int HumanClicks, DateTime? LastHumanClick);
