using System.Text.Json;

namespace LinkTracking.WebApi.Dashboard;

/// <summary>One series of a per-day chart.</summary>
public sealed record ChartSeries(string Label, string Color, IReadOnlyList<int> Values);

/// <summary>A per-day bar chart (<c>_Chart</c>), series stacked when <see cref="Stacked"/>.</summary>
public sealed record DashboardChart(string Id, string Caption, IReadOnlyList<DateOnly> Days, IReadOnlyList<ChartSeries> Series, bool Stacked = false)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>
    /// The figures for the script: days as Unix seconds (UTC midnight). The default encoder escapes &lt;, &gt; and
    /// &amp;, so the JSON cannot close its script element.
    /// </summary>
    public string ToJson() => JsonSerializer.Serialize(
        new
        {
            Days = Days.Select(d => new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds()),
            Series = Series.Select(s => new { s.Label, s.Color, s.Values }),
            Stacked,
        },
        Json);

    /// <summary>Palette with at least 4.5:1 contrast on white.</summary>
    public static class Colors
    {
        public const string Human = "#1d4ed8";
        public const string Scanner = "#b45309";
        public const string OtherBots = "#4b5563";
    }
}
