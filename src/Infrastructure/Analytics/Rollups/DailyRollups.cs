using System.Runtime.InteropServices;

namespace LinkTracking.Infrastructure.Analytics.Rollups;

/// <summary>The daily rollups' change that the hourly rollups' change makes (<see cref="ClickDailyRollup"/>).</summary>
public static class DailyRollups
{
    /// <summary>The start of the UTC day of a time.</summary>
    public static DateTime DayOf(DateTime time) =>
        new(time.Ticks - (time.Ticks % TimeSpan.TicksPerDay), DateTimeKind.Utc);

    /// <summary>
    /// Each link row (under its scope <c>l:</c> and the link's id) and each scope row added to its day; rows that sum
    /// to no change left out, the rest in key order (so concurrent writers lock them in the same order).
    /// </summary>
    public static IReadOnlyList<ClickDailyRollup> Of(IEnumerable<RollupChange> links, IEnumerable<ClickScopeRollup> scopes)
    {
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(scopes);
        var sums = new Dictionary<(string Scope, string Dimension, DateTime Day, string Value), (int Human, int Bot)>();
        foreach (var change in links)
        {
            Add(DistinctScopes.Link(change.TrackingId), change.Hour, change.Name, change.Value, change.HumanClicks, change.BotClicks);
        }

        foreach (var change in scopes)
        {
            Add(change.Scope, change.Hour, change.Dimension, change.Value, change.HumanClicks, change.BotClicks);
        }

        var rows = new List<ClickDailyRollup>(sums.Count);
        foreach (var ((scope, dimension, day, value), (human, bot)) in sums)
        {
            if (human != 0 || bot != 0)
            {
                rows.Add(new ClickDailyRollup { Scope = scope, Day = day, Dimension = dimension, Value = value, HumanClicks = human, BotClicks = bot });
            }
        }

        rows.Sort(static (a, b) =>
        {
            var order = string.CompareOrdinal(a.Scope, b.Scope);
            order = order != 0 ? order : string.CompareOrdinal(a.Dimension, b.Dimension);
            order = order != 0 ? order : a.Day.CompareTo(b.Day);
            return order != 0 ? order : string.CompareOrdinal(a.Value, b.Value);
        });
        return rows;

        void Add(string scope, DateTime hour, string dimension, string value, int human, int bot)
        {
            ref var counts = ref CollectionsMarshal.GetValueRefOrAddDefault(sums, (scope, dimension, DayOf(hour), value), out _);
            counts = (counts.Human + human, counts.Bot + bot);
        }
    }
}
