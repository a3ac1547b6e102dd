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
    [property: JsonIgnore] ClickBreakdownsDto Breakdowns) : BreakdownsResponse(Breakdowns)
{
    /// <summary>Per link with A/B variants (by tracking id), its clicks by variant as in the link's analytics; empty when none has any.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, VariantStatisticsDto>> Variants { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, VariantStatisticsDto>>();

    /// <summary>Outcomes by the variant the application's person landed on, per link function (docs/outcomes.md).</summary>
    public IReadOnlyList<VariantOutcomeDto> VariantOutcomes { get; init; } = [];
}

public sealed class GetJobLinkSummaryQueryValidator : FluentValidation.AbstractValidator<GetJobLinkSummaryQuery>
{
    public GetJobLinkSummaryQueryValidator() => RuleFor(q => q.Tz).MustBeTimeZone();
}
