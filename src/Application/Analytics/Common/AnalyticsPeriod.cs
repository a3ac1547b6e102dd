namespace LinkTracking.Application.Analytics.Common;

/// <summary>
/// A period of whole days of a time zone (UTC unless the caller names one) ending today: <c>days=1</c> is today only,
/// <c>days=30</c> is today and the 29 days before. <see cref="Start"/> is the UTC instant the first local day begins;
/// clicks count when <c>clicked_at ≥ Start</c>.
/// </summary>
public readonly record struct AnalyticsPeriod(DateTime Start, DateTime End, int Days, DateOnly FirstDay)
{
    public const int MinDays = 1;
    public const int MaxDays = 365;

    public static AnalyticsPeriod EndingAt(DateTime nowUtc, int days) => EndingAt(nowUtc, days, TimeZoneInfo.Utc);

    public static AnalyticsPeriod EndingAt(DateTime nowUtc, int days, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(nowUtc, zone));
        var firstDay = today.AddDays(-(days - 1));
        return new AnalyticsPeriod(AnalyticsTimeZones.StartOfDay(firstDay, zone), nowUtc, days, firstDay);
    }
}

/// <summary>Per-day counts on the wire.</summary>
public sealed record DailyClicksDto(DateOnly Date, int Clicks, int UniqueSessions);

public static class Timeline
{
    /// <summary>One entry per day of the period, oldest first; days without clicks are zero.</summary>
    public static IReadOnlyList<DailyClicksDto> Fill(AnalyticsPeriod period, IEnumerable<LinkTracking.Application.Common.Interfaces.DailyClicks> days)
    {
        var byDay = days.ToDictionary(d => d.Date);
        var result = new List<DailyClicksDto>(period.Days);
        for (var i = 0; i < period.Days; i++)
        {
            var day = period.FirstDay.AddDays(i);
            result.Add(byDay.TryGetValue(day, out var d) ? new DailyClicksDto(day, d.Clicks, d.UniqueSessions) : new DailyClicksDto(day, 0, 0));
        }

        return result;
    }
}
