using System.Text.Json.Serialization;
using LinkTracking.Application.Analytics.Common;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Validation;
using Mediator;

namespace LinkTracking.Application.Analytics.Queries.GetApplicationLinkSummary;

/// <summary>All-time figures of the links of one application.</summary>
public sealed record GetApplicationLinkSummaryQuery(Guid ApplicationId, bool IncludeBots = false, string? Tz = null) : IQuery<ApplicationLinkSummaryDto>, IReadsRecordedClicks;

public sealed record ApplicationLinkSummaryDto(
    Guid ApplicationId,
    int TotalLinks,
    int TotalClicks,
    int UniqueSessions,
    IReadOnlyDictionary<string, FunctionSummaryDto> LinkFunctions,
    IReadOnlyDictionary<string, int> ClicksByCategory,
    [property: JsonIgnore] ClickBreakdownsDto Breakdowns) : BreakdownsResponse(Breakdowns)
{
    /// <summary>Per link with A/B variants (by tracking id), its clicks by variant as in the link's analytics; empty when none has any.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, VariantStatisticsDto>> Variants { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, VariantStatisticsDto>>();
}

public sealed class GetApplicationLinkSummaryQueryValidator : FluentValidation.AbstractValidator<GetApplicationLinkSummaryQuery>
{
    public GetApplicationLinkSummaryQueryValidator() => RuleFor(q => q.Tz).MustBeTimeZone();
}
