using System.Runtime.InteropServices;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Links;

namespace LinkTracking.Infrastructure.Analytics.Rollups;

/// <summary>
/// How many distinct sessions (<c>kind = s</c>) or addresses (<c>kind = i</c>) a scope (<see cref="DistinctScopes"/>)
/// saw, kept so that no read counts keys one by one (ADR 0020). For each key, a scope's <em>presence</em> is the set
/// of UTC hours in which the key has a click on one of the scope's links; a row counts keys by one hour of it:
/// <list type="bullet">
/// <item><c>gap = 0</c>: keys whose latest presence is this hour. Every period the API asks for ends now, so the
/// distinct keys of [from, now] are the sum of these rows from <c>from</c> on — exact, at most one row per hour.</item>
/// <item><c>gap = 1…24</c>: presences this many hours after the key's previous one; <c>gap = 25</c>: the first
/// presence, or one 25 hours or more after the previous. The distinct keys of a window [a, b) are the presences in
/// it whose previous one is before a, that is whose gap exceeds <c>hour − a</c>; a day is at most 25 hours, so
/// the gaps are kept up to 25 (only by the scopes that answer days: a link and all links).</item>
/// <item><c>gap = -1</c> (<see cref="DistinctScopes.UtcDay"/>), at the start of a UTC day: the keys present in that
/// day, that is the sum of its hours' gap rows whose gap exceeds the hour's offset into the day. These are the gap
/// rows' sums for the default zone, kept with them so that a year's sessions per day are 366 rows, not 366 × 24 × 26.</item>
/// </list>
/// <see cref="HumanKeys"/> counts over the presences of human clicks only, <see cref="AllKeys"/> over all clicks.
/// </summary>
public sealed class ClickKeyHistogram
{
    public string Scope { get; init; } = "";

    public string Kind { get; init; } = "";

    /// <summary>Start of the UTC hour.</summary>
    public DateTime Hour { get; init; }

    public int Gap { get; init; }

    public int HumanKeys { get; init; }

    public int AllKeys { get; init; }
}

/// <summary>The scopes distinct keys are counted in, by name: a link, an application, a job, all links, and the last three per link function.</summary>
public static class DistinctScopes
{
    /// <summary>The <see cref="ClickKeyHistogram.Gap"/> of the rows that mark a key's latest presence.</summary>
    public const int LastSeen = 0;

    /// <summary>The <see cref="ClickKeyHistogram.Gap"/> of the rows that count a UTC day's distinct keys, at the day's start.</summary>
    public const int UtcDay = -1;

    /// <summary>The largest gap kept: a first presence, or one at least this many hours after the previous.</summary>
    public const int MaxGap = 25;

    public const int MaxScopeLength = 120;

    /// <summary>All links but decoys (the report).</summary>
    public const string All = "*";

    public static string Link(string trackingId) => "l:" + trackingId;

    public static string Of(LinkScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return scope switch
        {
            { TrackingId: { } trackingId } => Link(TrackingId.Parse(trackingId).Value),
            { JobId: { } jobId } => "j:" + jobId.ToString("D"),
            { ApplicationId: { } applicationId } => "a:" + applicationId.ToString("D"),
            _ => All,
        };
    }

    public static string OfFunction(LinkScope scope, string function) => Of(scope) + "/" + function;

    /// <summary>
    /// Where a link's keys are counted, and whether that scope keeps gaps (it answers distinct keys per day). A decoy
    /// counts only in its own scope, as it does everywhere; addresses count only per link (<c>unique_ips</c>).
    /// </summary>
    public static IReadOnlyList<(string Scope, bool Gaps)> For(LinkFacts link, string kind)
    {
        ArgumentNullException.ThrowIfNull(link);
        var own = (Link(link.TrackingId), true);
        if (kind != RollupDimensions.SessionKind || LinkFunction.IsDecoy(link.Function))
        {
            return [kind == RollupDimensions.SessionKind ? own : (own.Item1, false)];
        }

        var scopes = new List<(string, bool)> { own, (All, true), ($"{All}/{link.Function}", false) };
        if (link.JobId is { } jobId)
        {
            var job = Of(LinkScope.ForJob(jobId));
            scopes.Add((job, false));
            scopes.Add(($"{job}/{link.Function}", false));
        }

        if (link.ApplicationId is { } applicationId)
        {
            var application = Of(LinkScope.ForApplication(applicationId));
            scopes.Add((application, false));
            scopes.Add(($"{application}/{link.Function}", false));
        }

        return scopes;
    }
}

/// <summary>
/// The scopes a link's clicks are summed in (<see cref="ClickScopeRollup"/>): all its dimensions in its application,
/// its job and all links, and its categories in each of those per function. None for a decoy.
/// </summary>
public static class RollupScopes
{
    public static IReadOnlyList<(string Scope, bool AllDimensions)> For(LinkFacts link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return DistinctScopes.For(link, RollupDimensions.SessionKind)
            .Where(s => s.Scope != DistinctScopes.Link(link.TrackingId))
            .Select(s => (s.Scope, AllDimensions: !s.Scope.Contains('/', StringComparison.Ordinal)))
            .ToList();
    }

    /// <summary>The scope rollups' change that the link rollups' change makes: each link row added to each of its link's scopes.</summary>
    public static IReadOnlyList<ClickScopeRollup> Of(IEnumerable<RollupChange> rollups, IReadOnlyDictionary<string, LinkFacts> links)
    {
        ArgumentNullException.ThrowIfNull(rollups);
        ArgumentNullException.ThrowIfNull(links);
        var scopesOf = new Dictionary<string, IReadOnlyList<(string Scope, bool AllDimensions)>>(StringComparer.Ordinal);
        var sums = new Dictionary<(string Scope, DateTime Hour, string Dimension, string Value), (int Human, int Bot)>();
        foreach (var change in rollups)
        {
            if (!links.TryGetValue(change.TrackingId, out var link))
            {
                continue;
            }

            if (!scopesOf.TryGetValue(change.TrackingId, out var scopes))
            {
                scopesOf[change.TrackingId] = scopes = For(link);
            }

            foreach (var (scope, allDimensions) in scopes)
            {
                if (allDimensions || change.Name == RollupDimensions.Category)
                {
                    ref var counts = ref CollectionsMarshal.GetValueRefOrAddDefault(sums, (scope, change.Hour, change.Name, change.Value), out _);
                    counts = (counts.Human + change.HumanClicks, counts.Bot + change.BotClicks);
                }
            }
        }

        var rows = new List<ClickScopeRollup>(sums.Count);
        foreach (var ((scope, hour, dimension, value), (human, bot)) in sums)
        {
            if (human != 0 || bot != 0)
            {
                rows.Add(new ClickScopeRollup { Scope = scope, Hour = hour, Dimension = dimension, Value = value, HumanClicks = human, BotClicks = bot });
            }
        }

        rows.Sort(static (a, b) =>
        {
            var order = string.CompareOrdinal(a.Scope, b.Scope);
            order = order != 0 ? order : a.Hour.CompareTo(b.Hour);
            order = order != 0 ? order : string.CompareOrdinal(a.Dimension, b.Dimension);
            return order != 0 ? order : string.CompareOrdinal(a.Value, b.Value);
        });
        return rows;
    }
}

/// <summary>What the distinct counts need to know of a link: the scopes it belongs to.</summary>
public sealed record LinkFacts(string TrackingId, Guid? JobId, Guid? ApplicationId, string Function)
{
    /// <summary>A link no longer stored: counted in its own scope only.</summary>
    public static LinkFacts Unknown(string trackingId) => new(trackingId, null, null, LinkFunction.Decoy);
}

/// <summary>A stored row of <see cref="ClickUnique"/>: a key's clicks on one link in one hour.</summary>
public readonly record struct UniqueRow(string TrackingId, DateTime Hour, string Kind, string Key, int HumanClicks, int BotClicks);

/// <summary>
/// The change to <see cref="ClickKeyHistogram"/> that a change of <see cref="ClickUnique"/> rows makes: for every key
/// changed and every scope of the links changed, the key's presence there before and after (from the key's stored
/// rows, read under a lock on the key), and the difference of the rows each presence counts in.
/// </summary>
public sealed class ClickKeyHistogramDelta
{
    private readonly Dictionary<(string Scope, string Kind, DateTime Hour, int Gap), (int Human, int All)> _rows = [];
    private readonly ScopeCache _scopes;
    private readonly DateTime[] _single = new DateTime[1];
    private readonly List<DateTime> _humanBefore = [];
    private readonly List<DateTime> _allBefore = [];
    private readonly List<DateTime> _humanAfter = [];
    private readonly List<DateTime> _allAfter = [];

    private ClickKeyHistogramDelta(ScopeCache scopes) => _scopes = scopes;

    /// <param name="before">Every stored row of the changed session keys, and of the changed address keys on the changed links.</param>
    /// <param name="changes">The changes of <see cref="ClickUnique"/> rows (<see cref="ClickRollupDelta.Uniques"/>).</param>
    /// <param name="links">The facts of every link in <paramref name="before"/> and <paramref name="changes"/>.</param>
    public static ClickKeyHistogramDelta Of(IEnumerable<UniqueRow> before, IEnumerable<RollupChange> changes, IReadOnlyDictionary<string, LinkFacts> links)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(links);
        var changed = new Dictionary<(string Kind, string Key), List<RollupChange>>();
        foreach (var change in changes)
        {
            if (!changed.TryGetValue((change.Name, change.Value), out var list))
            {
                changed[(change.Name, change.Value)] = list = [];
            }

            list.Add(change);
        }

        var stored = new Dictionary<(string Kind, string Key), List<UniqueRow>>();
        foreach (var row in before)
        {
            if (changed.ContainsKey((row.Kind, row.Key)))
            {
                if (!stored.TryGetValue((row.Kind, row.Key), out var list))
                {
                    stored[(row.Kind, row.Key)] = list = [];
                }

                list.Add(row);
            }
        }

        var delta = new ClickKeyHistogramDelta(new ScopeCache(links));
        foreach (var ((kind, key), keyChanges) in changed)
        {
            delta.Change(kind, stored.GetValueOrDefault((kind, key)), keyChanges);
        }

        return delta;
    }

    /// <summary>
    /// The non-zero changes, in key order (so concurrent writers lock rows in the same order), with the change of the
    /// UTC days' rows (<see cref="DistinctScopes.UtcDay"/>) that the gap rows' change makes.
    /// </summary>
    public IReadOnlyList<ClickKeyHistogram> Rows()
    {
        var days = new Dictionary<(string Scope, string Kind, DateTime Hour, int Gap), (int Human, int All)>();
        foreach (var ((scope, kind, hour, gap), (human, all)) in _rows)
        {
            var day = DailyRollups.DayOf(hour);
            if (gap > (hour - day).TotalHours)
            {
                ref var counts = ref CollectionsMarshal.GetValueRefOrAddDefault(days, (scope, kind, day, DistinctScopes.UtcDay), out _);
                counts = (counts.Human + human, counts.All + all);
            }
        }

        var rows = new List<ClickKeyHistogram>(_rows.Count + days.Count);
        foreach (var ((scope, kind, hour, gap), (human, all)) in _rows.Concat(days))
        {
            if (human != 0 || all != 0)
            {
                rows.Add(new ClickKeyHistogram { Scope = scope, Kind = kind, Hour = hour, Gap = gap, HumanKeys = human, AllKeys = all });
            }
        }

        rows.Sort(static (a, b) =>
        {
            var order = string.CompareOrdinal(a.Scope, b.Scope);
            order = order != 0 ? order : string.CompareOrdinal(a.Kind, b.Kind);
            order = order != 0 ? order : a.Hour.CompareTo(b.Hour);
            return order != 0 ? order : a.Gap.CompareTo(b.Gap);
        });
        return rows;
    }

    /// <summary>The rows one presence (hours in ascending order) counts in: its latest hour, and each hour's gap.</summary>
    public static IEnumerable<(DateTime Hour, int Gap)> CountedIn(IReadOnlyList<DateTime> presence, bool gaps)
    {
        ArgumentNullException.ThrowIfNull(presence);
        if (presence.Count == 0)
        {
            yield break;
        }

        yield return (presence[^1], DistinctScopes.LastSeen);
        if (!gaps)
        {
            yield break;
        }

        for (var i = 0; i < presence.Count; i++)
        {
            var gap = i == 0 ? DistinctScopes.MaxGap : (int)Math.Min((presence[i] - presence[i - 1]).TotalHours, DistinctScopes.MaxGap);
            yield return (presence[i], gap);
        }
    }

    private void Change(string kind, List<UniqueRow>? stored, List<RollupChange> changes)
    {
        if (stored is null && changes.Count == 1 && changes[0] is { HumanClicks: >= 0, BotClicks: >= 0 } only && only.HumanClicks + only.BotClicks > 0)
        {
            // A new key with one row (most keys): it is present in that hour alone, in every scope of the link.
            foreach (var (scope, gaps) in _scopes.Of(only.TrackingId, kind))
            {
                _single[0] = only.Hour;
                if (only.HumanClicks > 0)
                {
                    Count(scope, kind, CountedIn(_single, gaps), +1, human: true);
                }

                Count(scope, kind, CountedIn(_single, gaps), +1, human: false);
            }

            return;
        }

        var rows = new Dictionary<(string TrackingId, DateTime Hour), (int HumanBefore, int AllBefore, int HumanAfter, int AllAfter)>();
        foreach (var row in stored ?? [])
        {
            var all = row.HumanClicks + row.BotClicks;
            rows[(row.TrackingId, row.Hour)] = (row.HumanClicks, all, row.HumanClicks, all);
        }

        var scopes = new List<(string Scope, bool Gaps)>();
        foreach (var change in changes)
        {
            var (humanBefore, allBefore, humanAfter, allAfter) = rows.GetValueOrDefault((change.TrackingId, change.Hour));
            rows[(change.TrackingId, change.Hour)] = (humanBefore, allBefore, humanAfter + change.HumanClicks, allAfter + change.HumanClicks + change.BotClicks);
            foreach (var scope in _scopes.Of(change.TrackingId, kind))
            {
                if (!scopes.Contains(scope))
                {
                    scopes.Add(scope);
                }
            }
        }

        foreach (var (scope, gaps) in scopes)
        {
            _humanBefore.Clear();
            _allBefore.Clear();
            _humanAfter.Clear();
            _allAfter.Clear();
            foreach (var ((trackingId, hour), (humanBefore, allBefore, humanAfter, allAfter)) in rows)
            {
                if (!_scopes.Contains(trackingId, kind, scope))
                {
                    continue;
                }

                AddIf(_humanBefore, humanBefore > 0, hour);
                AddIf(_allBefore, allBefore > 0, hour);
                AddIf(_humanAfter, humanAfter > 0, hour);
                AddIf(_allAfter, allAfter > 0, hour);
            }

            Move(scope, kind, gaps, _humanBefore, _humanAfter, human: true);
            Move(scope, kind, gaps, _allBefore, _allAfter, human: false);
        }

        static void AddIf(List<DateTime> hours, bool present, DateTime hour)
        {
            if (present)
            {
                hours.Add(hour);
            }
        }
    }

    /// <summary>Moves a key's count from the rows its presence before counts in to those its presence after does.</summary>
    private void Move(string scope, string kind, bool gaps, List<DateTime> before, List<DateTime> after, bool human)
    {
        SortDistinct(before);
        SortDistinct(after);
        if (before.SequenceEqual(after))
        {
            return;
        }

        Count(scope, kind, CountedIn(before, gaps), -1, human);
        Count(scope, kind, CountedIn(after, gaps), +1, human);
    }

    /// <summary>Hours in ascending order, each once (several links of a scope may share an hour).</summary>
    private static void SortDistinct(List<DateTime> hours)
    {
        if (hours.Count < 2)
        {
            return;
        }

        hours.Sort();
        var kept = 1;
        for (var i = 1; i < hours.Count; i++)
        {
            if (hours[i] != hours[kept - 1])
            {
                hours[kept++] = hours[i];
            }
        }

        hours.RemoveRange(kept, hours.Count - kept);
    }

    private void Count(string scope, string kind, IEnumerable<(DateTime Hour, int Gap)> rows, int sign, bool human)
    {
        foreach (var (hour, gap) in rows)
        {
            ref var counts = ref CollectionsMarshal.GetValueRefOrAddDefault(_rows, (scope, kind, hour, gap), out _);
            counts = human ? (counts.Human + sign, counts.All) : (counts.Human, counts.All + sign);
        }
    }
}

/// <summary>Each link's scopes (<see cref="DistinctScopes.For"/>), computed once per link and kind.</summary>
internal sealed class ScopeCache(IReadOnlyDictionary<string, LinkFacts> links)
{
    private readonly Dictionary<(string TrackingId, string Kind), IReadOnlyList<(string Scope, bool Gaps)>> _scopes = [];

    public IReadOnlyList<(string Scope, bool Gaps)> Of(string trackingId, string kind)
    {
        if (!_scopes.TryGetValue((trackingId, kind), out var scopes))
        {
            scopes = DistinctScopes.For(links.GetValueOrDefault(trackingId) ?? LinkFacts.Unknown(trackingId), kind);
            _scopes[(trackingId, kind)] = scopes;
        }

        return scopes;
    }

    public bool Contains(string trackingId, string kind, string scope)
    {
        foreach (var (name, _) in Of(trackingId, kind))
        {
            if (string.Equals(name, scope, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
