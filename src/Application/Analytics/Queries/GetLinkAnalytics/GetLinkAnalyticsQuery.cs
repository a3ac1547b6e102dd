using System.Text.Json.Serialization;
using LinkTracking.Application.Analytics.Common;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Mapping;
using Mediator;

namespace LinkTracking.Application.Analytics.Queries.GetLinkAnalytics;

/// <summary>Click statistics of one link over the last <see cref="Days"/> days of time zone <see cref="Tz"/> (default UTC).</summary>
public sealed record GetLinkAnalyticsQuery(string TrackingId, int Days = 30, bool IncludeBots = false, string? Tz = null) : IQuery<LinkAnalyticsDto>, IReadsRecordedClicks;

public sealed record LinkAnalyticsDto(
    LinkDto LinkInfo,
    ClickStatisticsDto ClickStatistics,
    IReadOnlyList<DailyClicksDto> ClickTimeline,
    IReadOnlyList<RecentClickDto> RecentClicks,
    [property: JsonIgnore] ClickBreakdownsDto Breakdowns) : BreakdownsResponse(Breakdowns)
{
    /// <summary>Clicks per A/B variant key in the period (<see cref="VariantStatisticsDto"/>); absent for a link without variants.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, VariantStatisticsDto>? Variants { get; init; }
}

public sealed record ClickStatisticsDto(
    int TotalClicks,
    int UniqueSessions,
    int UniqueIps,
    int BotClicks,
    [property: JsonPropertyName("clicks_24h")] int Clicks24H,
    [property: JsonPropertyName("clicks_7d")] int Clicks7D,
    DateTime? FirstClick,
    DateTime? LastClick,
    IReadOnlyDictionary<string, int> ClicksBySource,
    IReadOnlyDictionary<string, int> ClicksByCategory);

/// <summary>
/// One of the newest clicks; <c>bot_category</c> and <c>signals</c> only when bots are included. <c>click_id</c> is what a
/// label (<c>POST …/clicks/{click_id}/label</c>) names.
/// </summary>
public sealed record RecentClickDto(
    Guid ClickId,
    DateTime ClickedAt,
    string ClickSource,
    string? IpPartial,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? BotCategory = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Signals = null);
