using System.Diagnostics.CodeAnalysis;
using LinkTracking.Application.Common.Interfaces;

namespace LinkTracking.Application.Analytics.Common;

/// <summary>
/// The <c>tz</c> parameter: an IANA time zone name (<c>Europe/Berlin</c>), default <c>UTC</c>. Days, hours and weekdays
/// are those of the zone, daylight saving included. Clicks are kept per UTC hour (ADR 0011), which a zone with a
/// whole-hour offset shifts exactly; in a zone with a :30 or :45 offset an hour's clicks count in the local hour and
/// day where that UTC hour begins (so up to 45 minutes of clicks sit one local hour early).
/// </summary>
public static class AnalyticsTimeZones
{
    public const int MaxNameLength = 64;

    /// <summary>Finds a zone by IANA name; null or empty is UTC. Names are letters, digits, <c>/ _ + -</c>.</summary>
    public static bool TryFind(string? name, [NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        zone = null;
        if (string.IsNullOrEmpty(name))
        {
            zone = TimeZoneInfo.Utc;
            return true;
        }

        if (name.Length > MaxNameLength || name.Contains("..", StringComparison.Ordinal)
            || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '+' or '-'))
        {
            return false;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(name, out zone);
    }

    /// <summary>The zone named by a validated <c>tz</c> (see <see cref="TryFind"/>).</summary>
    public static TimeZoneInfo Find(string? name) =>
        TryFind(name, out var zone) ? zone : throw new ArgumentException($"Unknown time zone '{name}'.", nameof(name));

    /// <summary>The UTC instant a local day begins (the first valid local time when midnight is skipped).</summary>
    public static DateTime StartOfDay(DateOnly day, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }
}

/// <summary>The breakdowns every analytics answer carries (API.md, "Breakdowns").</summary>
public sealed record ClickBreakdownsDto(
    IReadOnlyDictionary<string, int> Countries,
    IReadOnlyDictionary<string, int> Devices,
    IReadOnlyDictionary<string, int> Browsers,
    IReadOnlyDictionary<string, int> OperatingSystems,
    IReadOnlyList<int> Hours,
    IReadOnlyList<int> Weekdays,
    IReadOnlyList<IReadOnlyList<int>> HourWeekday);

/// <summary>
/// An analytics answer with the breakdowns as top-level fields: <c>countries</c> (ISO 3166 alpha-2 → clicks,
/// <c>unknown</c> for none), <c>devices</c> (desktop, mobile, tablet, bot, other — all five, zeros too),
/// <c>browsers</c> and <c>operating_systems</c> (the 10 most frequent families, the rest summed as <c>other</c>),
/// <c>hours</c> (24 counts, local hour 0 first) and <c>weekdays</c> (7 counts, Monday first). Same clicks as the
/// answer's totals: human unless <c>include_bots=true</c>.
/// </summary>
public abstract record BreakdownsResponse : IFreshAnswer
{
    protected BreakdownsResponse(ClickBreakdownsDto breakdowns)
    {
        ArgumentNullException.ThrowIfNull(breakdowns);
        Countries = breakdowns.Countries;
        Devices = breakdowns.Devices;
        Browsers = breakdowns.Browsers;
        OperatingSystems = breakdowns.OperatingSystems;
        Hours = breakdowns.Hours;
        Weekdays = breakdowns.Weekdays;
        HourWeekday = breakdowns.HourWeekday;
    }

    public IReadOnlyDictionary<string, int> Countries { get; }

    public IReadOnlyDictionary<string, int> Devices { get; }

    public IReadOnlyDictionary<string, int> Browsers { get; }

    public IReadOnlyDictionary<string, int> OperatingSystems { get; }

    public IReadOnlyList<int> Hours { get; }

    public IReadOnlyList<int> Weekdays { get; }

    /// <summary>
    /// The week's heatmap: 7 rows (Monday first) of 24 counts (local hour 0 first) in `tz`, the same clicks as
    /// `hours` and `weekdays` (human unless `include_bots=true`).
    /// </summary>
    public IReadOnlyList<IReadOnlyList<int>> HourWeekday { get; }

    /// <summary>
    /// Up to this instant (UTC) acknowledged clicks are counted in this answer. A call waits at most
    /// `Analytics:MaxReadWait` (2 s) for the clicks acknowledged before it; during an ingest backlog it answers with
    /// what is counted, and this instant is older than the call.
    /// </summary>
    public DateTime DataAsOf { get; private set; }

    /// <summary>
    /// How `unique_sessions` and `unique_ips` are counted: `estimate` (PostgreSQL: HyperLogLog, standard error 0.81 %;
    /// small counts exact) or `exact` (SQLite). Click counts are always exact.
    /// </summary>
    public string UniqueCounts { get; private set; } = "exact";

    public void Stamp(DataFreshness freshness)
    {
        ArgumentNullException.ThrowIfNull(freshness);
        DataAsOf = freshness.DataAsOf;
        UniqueCounts = freshness.UniqueCounts;
    }
}
