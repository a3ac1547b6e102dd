using LinkTracking.Application.Analytics.Common;
using LinkTracking.Application.Common.Interfaces;
using Mediator;

namespace LinkTracking.Application.Analytics.Queries.GetApplicationLinkSummary;

/// <summary>All-time figures of the links of one application.</summary>
public sealed record GetApplicationLinkSummaryQuery(Guid ApplicationId, bool IncludeBots = false) : IQuery<ApplicationLinkSummaryDto>, IReadsRecordedClicks;

public sealed record ApplicationLinkSummaryDto(
    Guid ApplicationId,
    int TotalLinks,
    int TotalClicks,
    int UniqueSessions,
    IReadOnlyDictionary<string, FunctionSummaryDto> LinkFunctions,
    IReadOnlyDictionary<string, int> ClicksByCategory);
