using LinkTracking.Application.Analytics.Common;

namespace LinkTracking.WebApi.Dashboard;

/// <summary>
/// What <c>_Funnel</c> draws: the funnel and the engagement-versus-outcome rates of a job summary or of the report
/// (all applications, on the overview).
/// </summary>
public sealed record FunnelView(IReadOnlyList<FunnelStepDto> Funnel, IReadOnlyList<EngagementGroupDto> EngagementVsOutcome);
