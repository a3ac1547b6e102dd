using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Application.Analytics.Common;

/// <summary>Turns the raw breakdowns into their wire form (<see cref="BreakdownsResponse"/>).</summary>
public static class Breakdowns
{
    public const string UnknownCountry = "unknown";
    public const string Other = "other";
    public const int TopFamilies = 10;

    private static readonly DeviceType[] DeviceOrder = [DeviceType.Desktop, DeviceType.Mobile, DeviceType.Tablet, DeviceType.Bot, DeviceType.Other];

    public static ClickBreakdownsDto ToDto(ClickBreakdowns breakdowns)
    {
        ArgumentNullException.ThrowIfNull(breakdowns);
        var countries = Sum(breakdowns.Countries.Select(c => (c.Value ?? UnknownCountry, c.Clicks)));
        var devices = DeviceOrder.ToDictionary(d => d.Name(), _ => 0, StringComparer.Ordinal);
        foreach (var (device, clicks) in Sum(breakdowns.Devices.Select(d => (d.Value ?? Other, d.Clicks))))
        {
            devices[devices.ContainsKey(device) ? device : Other] += clicks;
        }

        return new ClickBreakdownsDto(
            countries,
            devices,
            TopWithOther(breakdowns.Browsers),
            TopWithOther(breakdowns.OperatingSystems),
            breakdowns.Hours,
            breakdowns.Weekdays,
            HeatmapOf(breakdowns.HourWeekday));
    }

    /// <summary>Always 7 × 24: missing rows or hours are zeros.</summary>
    private static IReadOnlyList<IReadOnlyList<int>> HeatmapOf(IReadOnlyList<IReadOnlyList<int>>? hourWeekday) =>
        [.. Enumerable.Range(0, 7).Select(day => (IReadOnlyList<int>)[.. Enumerable.Range(0, 24).Select(hour =>
            hourWeekday is not null && day < hourWeekday.Count && hour < hourWeekday[day].Count ? hourWeekday[day][hour] : 0)])];

    /// <summary>
    /// The <see cref="TopFamilies"/> families with most clicks (ties by name); the rest, unknown agents and uap-core's own
    /// "Other" summed under <c>other</c> (present only when non-zero).
    /// </summary>
    private static Dictionary<string, int> TopWithOther(IEnumerable<ValueCount> values)
    {
        var other = 0;
        var known = new List<(string Value, int Clicks)>();
        foreach (var (value, clicks) in Sum(values.Select(v => (v.Value ?? Other, v.Clicks))))
        {
            if (string.Equals(value, Other, StringComparison.OrdinalIgnoreCase))
            {
                other += clicks;
            }
            else
            {
                known.Add((value, clicks));
            }
        }

        var ranked = known.OrderByDescending(k => k.Clicks).ThenBy(k => k.Value, StringComparer.Ordinal).ToList();
        var result = ranked.Take(TopFamilies).ToDictionary(k => k.Value, k => k.Clicks, StringComparer.Ordinal);
        other += ranked.Skip(TopFamilies).Sum(k => k.Clicks);
        if (other > 0)
        {
            result[Other] = other;
        }

        return result;
    }

    /// <summary>Non-zero counts per value, most clicks first, then by name.</summary>
    private static Dictionary<string, int> Sum(IEnumerable<(string Value, int Clicks)> values) =>
        values.GroupBy(v => v.Value, StringComparer.Ordinal)
            .Select(g => (Value: g.Key, Clicks: g.Sum(v => v.Clicks)))
            .Where(v => v.Clicks > 0)
            .OrderByDescending(v => v.Clicks)
            .ThenBy(v => v.Value, StringComparer.Ordinal)
            .ToDictionary(v => v.Value, v => v.Clicks, StringComparer.Ordinal);
}
