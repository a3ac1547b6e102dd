using System.Collections;
using System.Globalization;
using System.Text;

namespace LinkTracking.WebApi.Dashboard;

/// <summary>A name → count breakdown of a result, as a page section (<c>_Breakdown</c>), with the credit its data needs.</summary>
public sealed record Breakdown(string Title, IReadOnlyList<KeyValuePair<string, int>> Counts, DataAttribution? Attribution = null)
{
    public int Max => Counts.Count == 0 ? 0 : Counts.Max(c => c.Value);
}

/// <summary>A link crediting the source of a breakdown's data, shown under it.</summary>
public sealed record DataAttribution(string Text, Uri Url)
{
    /// <summary>
    /// Countries come from DB-IP's IP to Country Lite database (CC BY 4.0), whose licence asks every page that shows
    /// its results to link to db-ip.com (THIRD-PARTY-NOTICES).
    /// </summary>
    public static readonly DataAttribution DbIp = new("IP geolocation by DB-IP", new Uri("https://db-ip.com"));
}

/// <summary>Counts per hour of day (24) or per day of week (7), as a bucket chart (<c>_Buckets</c>).</summary>
public sealed record Buckets(string Title, IReadOnlyList<string> Labels, IReadOnlyList<int> Counts)
{
    public int Max => Counts.Count == 0 ? 0 : Counts.Max();
}

/// <summary>
/// Finds the breakdowns of a query result by their type, so a breakdown added to a result (countries, devices,
/// hours…) shows on the dashboard without a page change: every <c>IReadOnlyDictionary&lt;string, int&gt;</c> property
/// is a name → count section; every list of 24 or 7 counts is an hour-of-day or day-of-week chart.
/// </summary>
public static class Breakdowns
{
    /// <summary>The breakdown whose data (DB-IP) must be credited wherever it shows.</summary>
    public const string CountriesProperty = "Countries";

    private static readonly string[] Weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

    public static IReadOnlyList<Breakdown> NameCountsOf(object? result, params string[] except)
    {
        if (result is null)
        {
            return [];
        }

        var sections = new List<Breakdown>();
        foreach (var property in result.GetType().GetProperties())
        {
            if (except.Contains(property.Name, StringComparer.Ordinal) ||
                !typeof(IReadOnlyDictionary<string, int>).IsAssignableFrom(property.PropertyType) ||
                property.GetValue(result) is not IReadOnlyDictionary<string, int> counts)
            {
                continue;
            }

            sections.Add(new Breakdown(
                Title(property.Name),
                counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).ToList(),
                property.Name == CountriesProperty ? DataAttribution.DbIp : null));
        }

        return sections;
    }

    public static IReadOnlyList<Buckets> BucketsOf(object? result)
    {
        if (result is null)
        {
            return [];
        }

        var charts = new List<Buckets>();
        foreach (var property in result.GetType().GetProperties())
        {
            if (property.PropertyType == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(property.PropertyType) ||
                property.GetValue(result) is not IEnumerable<int> values)
            {
                continue;
            }

            var counts = values.ToList();
            IReadOnlyList<string>? labels = counts.Count switch
            {
                24 => Enumerable.Range(0, 24).Select(h => h.ToString("00", CultureInfo.InvariantCulture)).ToList(),
                7 => Weekdays,
                _ => null,
            };
            if (labels is not null)
            {
                charts.Add(new Buckets(Title(property.Name), labels, counts));
            }
        }

        return charts;
    }

    /// <summary><c>ClicksBySource</c> → "Clicks by source".</summary>
    public static string Title(string propertyName)
    {
        ArgumentNullException.ThrowIfNull(propertyName);
        var title = new StringBuilder(propertyName.Length + 4);
        for (var i = 0; i < propertyName.Length; i++)
        {
            var c = propertyName[i];
            if (i > 0 && char.IsUpper(c))
            {
                title.Append(' ').Append(char.ToLowerInvariant(c));
            }
            else
            {
                title.Append(c);
            }
        }

        return title.ToString();
    }
}
