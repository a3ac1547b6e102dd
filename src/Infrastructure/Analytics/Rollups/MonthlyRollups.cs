using System.Runtime.InteropServices;

namespace LinkTracking.Infrastructure.Analytics.Rollups;

/// <summary>
/// The monthly rollups of all links and of jobs, per function too (<see cref="ClickMonthlyRollup"/>, ADR 0029): the sums
/// of those scopes' daily rows per UTC month, kept by the same rounds, corrections and rebuild as the daily rows.
/// </summary>
public static class MonthlyRollups
{
    /// <summary>The start of the UTC month of a time.</summary>
    public static DateTime MonthOf(DateTime time) => new(time.Year, time.Month, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// Whether a scope keeps monthly rows (and, on PostgreSQL, monthly sketches): all links and jobs, per function too,
    /// the scopes whose names start with <c>*</c> or <c>j:</c> (the SQL of both stores tests the same). Not applications:
    /// the sparse scopes of a backfill, where a month row would be one more row per click.
    /// </summary>
    public static bool KeepsMonths(string scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return scope.StartsWith(DistinctScopes.All, StringComparison.Ordinal) || scope.StartsWith("j:", StringComparison.Ordinal);
    }

    /// <summary>
    /// The first month that starts at or after a day: a period from that day reads its months from here on, and its
    /// days before it from the daily rows.
    /// </summary>
    public static DateTime FirstWholeMonth(DateTime day) => MonthOf(day) == day ? day : MonthOf(day).AddMonths(1);

    /// <summary>
    /// The monthly rows' change that the daily rows' change makes: each row of a scope that keeps months added to its
    /// month; rows that sum to no change left out, the rest in key order (so concurrent writers lock them in the same order).
    /// </summary>
    public static IReadOnlyList<ClickMonthlyRollup> Of(IEnumerable<ClickDailyRollup> days)
    {
        ArgumentNullException.ThrowIfNull(days);
        var sums = new Dictionary<(string Scope, string Dimension, DateTime Month, string Value), (int Human, int Bot)>();
        foreach (var day in days)
        {
            if (KeepsMonths(day.Scope))
            {
                ref var counts = ref CollectionsMarshal.GetValueRefOrAddDefault(sums, (day.Scope, day.Dimension, MonthOf(day.Day), day.Value), out _);
                counts = (counts.Human + day.HumanClicks, counts.Bot + day.BotClicks);
            }
        }

        var rows = new List<ClickMonthlyRollup>(sums.Count);
        foreach (var ((scope, dimension, month, value), (human, bot)) in sums)
        {
            if (human != 0 || bot != 0)
            {
                rows.Add(new ClickMonthlyRollup { Scope = scope, Month = month, Dimension = dimension, Value = value, HumanClicks = human, BotClicks = bot });
            }
        }

        rows.Sort(static (a, b) =>
        {
            var order = string.CompareOrdinal(a.Scope, b.Scope);
            order = order != 0 ? order : string.CompareOrdinal(a.Dimension, b.Dimension);
            order = order != 0 ? order : a.Month.CompareTo(b.Month);
            return order != 0 ? order : string.CompareOrdinal(a.Value, b.Value);
        });
        return rows;
    }
}
