namespace LinkTracking.Application.Common.Interfaces;

/// <summary>Read-side aggregates over clicks and links. Times are UTC; <c>from</c> is inclusive.</summary>
public interface ILinkAnalyticsQueries
{
    Task<LinkClickTotals> GetLinkTotalsAsync(string trackingId, DateTime from, DateTime now, bool includeBots, CancellationToken cancellationToken);

    /// <summary>Clicks and unique sessions per day of <paramref name="zone"/>, from <paramref name="from"/> on.</summary>
    Task<IReadOnlyList<DailyClicks>> GetDailyClicksAsync(LinkScope scope, DateTime from, bool includeBots, TimeZoneInfo zone, CancellationToken cancellationToken);

    /// <summary>
    /// Clicks of the links in scope since <paramref name="from"/> (all time when null) by country, device, browser and
    /// OS (null values for unknown), and by local hour of day and weekday in <paramref name="zone"/>.
    /// </summary>
    Task<ClickBreakdowns> GetBreakdownsAsync(LinkScope scope, DateTime? from, bool includeBots, TimeZoneInfo zone, CancellationToken cancellationToken);

    Task<IReadOnlyList<RecentClick>> GetRecentClicksAsync(string trackingId, int count, bool includeBots, CancellationToken cancellationToken);

    /// <summary>
    /// Per link function: links in scope, and their clicks since <paramref name="from"/> (all time when null); the
    /// exact time of each function's last click only <paramref name="withLastClick"/> (it reads raw clicks).
    /// </summary>
    Task<IReadOnlyList<FunctionClicks>> GetFunctionClicksAsync(LinkScope scope, DateTime? from, bool includeBots, bool withLastClick, CancellationToken cancellationToken);

    /// <summary>
    /// Every click of the links in scope since <paramref name="from"/> (all time when null) by category, bots
    /// included: the point is to see how much of the traffic was scanners. Every category is listed, zeros too.
    /// </summary>
    Task<IReadOnlyDictionary<string, int>> GetClicksByCategoryAsync(LinkScope scope, DateTime? from, CancellationToken cancellationToken);

    /// <summary>Totals of the links in scope and their clicks since <paramref name="from"/> (all time when null).</summary>
    Task<ScopeTotals> GetScopeTotalsAsync(LinkScope scope, DateTime? from, bool includeBots, CancellationToken cancellationToken);
}

/// <summary>
/// Which links an aggregate covers: one link, one job, one application, or all. Decoy links (function <c>Decoy</c>)
/// are left out of every scope but their own.
/// </summary>
public sealed record LinkScope(string? TrackingId = null, Guid? JobId = null, Guid? ApplicationId = null)
{
    public static LinkScope All { get; } = new();

    public static LinkScope ForLink(string trackingId) => new(TrackingId: trackingId);

    public static LinkScope ForJob(Guid jobId) => new(JobId: jobId);

    public static LinkScope ForApplication(Guid applicationId) => new(ApplicationId: applicationId);
}

public sealed record LinkClickTotals(
    int TotalClicks,
    int UniqueSessions,
    int UniqueIps,
    int BotClicks,
    int Clicks24H,
    int Clicks7D,
    DateTime? FirstClick,
    DateTime? LastClick,
    IReadOnlyDictionary<string, int> ClicksBySource);

/// <summary>How many clicks had a value (null: unknown).</summary>
public sealed record ValueCount(string? Value, int Clicks);

/// <summary>
/// Raw breakdowns; <see cref="Hours"/> has 24 entries (local hour 0 first), <see cref="Weekdays"/> 7 (Monday first),
/// <see cref="HourWeekday"/> 7 rows (Monday first) of 24 (local hour 0 first). An empty <see cref="HourWeekday"/> means
/// all zeros.
/// </summary>
public sealed record ClickBreakdowns(
    IReadOnlyList<ValueCount> Countries,
    IReadOnlyList<ValueCount> Devices,
    IReadOnlyList<ValueCount> Browsers,
    IReadOnlyList<ValueCount> OperatingSystems,
    IReadOnlyList<int> Hours,
    IReadOnlyList<int> Weekdays,
    IReadOnlyList<IReadOnlyList<int>>? HourWeekday = null);

public sealed record DailyClicks(DateOnly Date, int Clicks, int UniqueSessions);

public sealed record RecentClick(
    Guid Id,
    DateTime ClickedAt,
    string ClickSource,
    System.Net.IPAddress? IpAddress,
    LinkTracking.Domain.Clicks.BotCategory BotCategory,
    string? Signals);

public sealed record FunctionClicks(string LinkFunction, int Links, int Clicks, int UniqueSessions, DateTime? LastClick);

public sealed record ScopeTotals(
    int TotalLinks,
    int ActiveLinks,
    int Jobs,
    int Applications,
    int TotalClicks,
    int UniqueSessions,
    int LinksClicked);
