using System.Text.Json.Serialization;
using LinkTracking.Application.Analytics.Common;
using LinkTracking.Application.Common.Interfaces;
using Mediator;

namespace LinkTracking.Application.Analytics.Queries.GetLinkPerformanceReport;

/// <summary>Performance of all links over the last <see cref="Days"/> days (1–365) of time zone <see cref="Tz"/>.</summary>
public sealed record GetLinkPerformanceReportQuery(int Days = 30, bool IncludeBots = false, string? Tz = null) : IQuery<LinkPerformanceReportDto>, IReadsRecordedClicks;

public sealed record LinkPerformanceReportDto(
    ReportPeriodDto ReportPeriod,
    OverallStatisticsDto OverallStatistics,
    IReadOnlyList<FunctionPerformanceDto> FunctionPerformance,
    IReadOnlyList<DailyClicksDto> DailyTrends,
    IReadOnlyDictionary<string, int> ClicksByCategory,
    IReadOnlyList<FunnelStepDto> Funnel,
    IReadOnlyList<EngagementGroupDto> EngagementVsOutcome,
    [property: JsonIgnore] ClickBreakdownsDto Breakdowns) : BreakdownsResponse(Breakdowns)
{
    /// <summary>Outcomes by the variant the application's person landed on, per link function (docs/outcomes.md).</summary>
    public IReadOnlyList<VariantOutcomeDto> VariantOutcomes { get; init; } = [];
}

public sealed record ReportPeriodDto(DateTime StartDate, DateTime EndDate, int Days);

public sealed record OverallStatisticsDto(
    int TotalLinks,
    int ActiveLinks,
    int JobsWithLinks,
    int ApplicationsWithLinks,
    int TotalClicks,
    int UniqueSessions,
    int LinksClicked);

public sealed record FunctionPerformanceDto(string LinkFunction, int Links, int Clicks, int UniqueSessions, double AvgClicksPerLink);
