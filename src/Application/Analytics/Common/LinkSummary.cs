using LinkTracking.Application.Common.Interfaces;

namespace LinkTracking.Application.Analytics.Common;

/// <summary>Per-function figures of a job's or an application's links.</summary>
public sealed record FunctionSummaryDto(int Links, int Clicks, int UniqueSessions, DateTime? LastClick);

/// <summary>Builds the job and application summaries, which differ only in the scope of links they cover.</summary>
public sealed class LinkSummaryBuilder(ILinkAnalyticsQueries analytics)
{
    public async Task<(ScopeTotals Totals, IReadOnlyDictionary<string, FunctionSummaryDto> Functions, IReadOnlyDictionary<string, int> ByCategory, ClickBreakdownsDto Breakdowns)> BuildAsync(
        LinkScope scope, bool includeBots, string? tz, CancellationToken cancellationToken)
    {
        var breakdowns = await analytics.GetBreakdownsAsync(scope, from: null, includeBots, AnalyticsTimeZones.Find(tz), cancellationToken);
        var totals = await analytics.GetScopeTotalsAsync(scope, from: null, includeBots, cancellationToken);
        var byCategory = await analytics.GetClicksByCategoryAsync(scope, from: null, cancellationToken);
        var functions = await analytics.GetFunctionClicksAsync(scope, from: null, includeBots, withLastClick: true, cancellationToken);
        var byFunction = functions
            .OrderBy(f => f.LinkFunction, StringComparer.Ordinal)
            .ToDictionary(f => f.LinkFunction, f => new FunctionSummaryDto(f.Links, f.Clicks, f.UniqueSessions, f.LastClick), StringComparer.Ordinal);
        return (totals, byFunction, byCategory, Breakdowns.ToDto(breakdowns));
    }
}
