namespace LinkTracking.Application.Analytics.Common;

/// <summary>
/// A period of whole UTC days ending today: <c>days=1</c> is today only, <c>days=30</c> is today and the 29 days
/// before. Clicks count when <c>clicked_at ≥ Start</c>.
/// </summary>
public readonly record struct AnalyticsPeriod(DateTime Start, DateTime End, int Days)
{
    public const int MinDays = 1;
    public const int MaxDays = 365;

    public static AnalyticsPeriod EndingAt(DateTime nowUtc, int days)
    {
        var start = nowUtc.Date.AddDays(-(days - 1));
        return new AnalyticsPeriod(DateTime.SpecifyKind(start, DateTimeKind.Utc), nowUtc, days);
    }

    public DateOnly FirstDay => DateOnly.FromDateTime(Start);
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
