using System.Text.Json.Serialization;
using LinkTracking.Application.Analytics.Common;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Validation;
using Mediator;

namespace LinkTracking.Application.Analytics.Queries.GetJobLinkSummary;

/// <summary>All-time figures of the links of one job.</summary>
public sealed record GetJobLinkSummaryQuery(Guid JobId, bool IncludeBots = false, string? Tz = null) : IQuery<JobLinkSummaryDto>, IReadsRecordedClicks;

public sealed record JobLinkSummaryDto(
    Guid JobId,
    int TotalLinks,
    int TotalClicks,
    int UniqueSessions,
    IReadOnlyDictionary<string, FunctionSummaryDto> LinkFunctions,
    IReadOnlyDictionary<string, int> ClicksByCategory,
    IReadOnlyList<FunnelStepDto> Funnel,
    IReadOnlyList<EngagementGroupDto> EngagementVsOutcome,
    [property: JsonIgnore] ClickBreakdownsDto Breakdowns) : BreakdownsResponse(Breakdowns);

public sealed class GetJobLinkSummaryQueryValidator : FluentValidation.AbstractValidator<GetJobLinkSummaryQuery>
{
    public GetJobLinkSummaryQueryValidator() => RuleFor(q => q.Tz).MustBeTimeZone();
}
