using System.Globalization;

namespace LinkTracking.WebApi.Dashboard;

/// <summary>
/// The week's heatmap (<c>hour_weekday</c>: 7 rows, Monday first, of 24 local hours) as a plain CSS grid
/// (<c>_Heatmap</c>): each cell's shade is one of <see cref="Levels"/> classes (the Content-Security-Policy allows no
/// inline style), its exact count in its title and in the grid's description.
/// </summary>
public sealed record Heatmap(IReadOnlyList<IReadOnlyList<int>> Counts)
{
    /// <summary>Shades: 0 is no click, 1–4 are quarters of the busiest hour.</summary>
    public const int Levels = 5;

    public static readonly IReadOnlyList<string> Weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

    public int Max => Counts.SelectMany(r => r).DefaultIfEmpty(0).Max();

    public int Total => Counts.SelectMany(r => r).Sum();

    /// <summary>0 for no click, else 1–4 by the share of the busiest cell (any click shows).</summary>
    public int LevelOf(int count) => count <= 0 || Max == 0 ? 0 : Math.Max(1, (int)Math.Ceiling(4.0 * count / Max));

    public static string Hour(int hour) => hour.ToString("00", CultureInfo.InvariantCulture);

    /// <summary>"Busiest: Tue 09:00 (5 clicks)", or that there were none.</summary>
    public string Description()
    {
        if (Max == 0)
        {
            return "No human clicks in this period.";
        }

        var (day, hour) = Enumerable.Range(0, 7).SelectMany(d => Enumerable.Range(0, 24).Select(h => (d, h))).First(c => Counts[c.d][c.h] == Max);
        return string.Create(CultureInfo.InvariantCulture, $"{Total} human clicks by weekday and hour; busiest: {Weekdays[day]} {Hour(hour)}:00 ({Max}).");
    }

    /// <summary>The heatmap of an analytics result: its <c>HourWeekday</c> property when it has 7 rows of 24.</summary>
    public static Heatmap? Of(object? result)
    {
        var property = result?.GetType().GetProperty("HourWeekday");
        return property?.GetValue(result) is IReadOnlyList<IReadOnlyList<int>> counts && counts.Count == 7 && counts.All(r => r.Count == 24)
            ? new Heatmap(counts)
            : null;
    }
}
