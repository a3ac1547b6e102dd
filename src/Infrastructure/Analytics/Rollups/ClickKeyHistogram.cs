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
        var sums = new Dictionary<(string Scope, DateTime Hour, string Dimension, string Value), (int Human, int Bot)>();
        foreach (var change in rollups)
        {
            if (!links.TryGetValue(change.TrackingId, out var link))
            {
                continue;
            }

            foreach (var (scope, allDimensions) in For(link))
            {
                if (!allDimensions && change.Name != RollupDimensions.Category)
                {
                    continue;
                }

                var key = (scope, change.Hour, change.Name, change.Value);
                var (human, bot) = sums.GetValueOrDefault(key);
                sums[key] = (human + change.HumanClicks, bot + change.BotClicks);
            }
        }

        return sums.Where(s => s.Value != default)
            .OrderBy(s => s.Key.Scope, StringComparer.Ordinal)
            .ThenBy(s => s.Key.Hour)
            .ThenBy(s => s.Key.Dimension, StringComparer.Ordinal)
            .ThenBy(s => s.Key.Value, StringComparer.Ordinal)
            .Select(s => new ClickScopeRollup
            {
                Scope = s.Key.Scope, Hour = s.Key.Hour, Dimension = s.Key.Dimension, Value = s.Key.Value, HumanClicks = s.Value.Human, BotClicks = s.Value.Bot,
            })
            .ToList();
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

    /// <param name="before">Every stored row of the changed session keys, and of the changed address keys on the changed links.</param>
    /// <param name="changes">The changes of <see cref="ClickUnique"/> rows (<see cref="ClickRollupDelta.Uniques"/>).</param>
    /// <param name="links">The facts of every link in <paramref name="before"/> and <paramref name="changes"/>.</param>
    public static ClickKeyHistogramDelta Of(IEnumerable<UniqueRow> before, IEnumerable<RollupChange> changes, IReadOnlyDictionary<string, LinkFacts> links)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(links);
        var stored = before.ToLookup(r => (r.Kind, r.Key));
        var scopesOf = new Dictionary<(string TrackingId, string Kind), IReadOnlyList<(string Scope, bool Gaps)>>();
        var delta = new ClickKeyHistogramDelta();
        foreach (var key in changes.GroupBy(c => (Kind: c.Name, Key: c.Value)))
        {
            var rowsBefore = stored[key.Key].ToDictionary(r => (r.TrackingId, r.Hour), r => (r.HumanClicks, r.BotClicks));
            var rowsAfter = new Dictionary<(string, DateTime), (int Human, int Bot)>(rowsBefore);
            foreach (var change in key)
            {
                var (human, bot) = rowsAfter.GetValueOrDefault((change.TrackingId, change.Hour));
                rowsAfter[(change.TrackingId, change.Hour)] = (human + change.HumanClicks, bot + change.BotClicks);
            }

            var scopes = key.Select(c => c.TrackingId).Distinct(StringComparer.Ordinal)
                .SelectMany(id => ScopesOf(id, key.Key.Kind))
                .Distinct();
            foreach (var (scope, gaps) in scopes)
            {
                delta.Move(scope, key.Key.Kind, gaps, Presence(rowsBefore, InScope), Presence(rowsAfter, InScope));

                bool InScope(string trackingId) => ScopesOf(trackingId, key.Key.Kind).Any(s => s.Scope == scope);
            }
        }

        return delta;

        IReadOnlyList<(string Scope, bool Gaps)> ScopesOf(string trackingId, string kind)
        {
            if (!scopesOf.TryGetValue((trackingId, kind), out var scopes))
            {
                scopes = DistinctScopes.For(links.GetValueOrDefault(trackingId) ?? LinkFacts.Unknown(trackingId), kind);
                scopesOf[(trackingId, kind)] = scopes;
            }

            return scopes;
        }
    }

    /// <summary>The non-zero changes, in key order (so concurrent writers lock rows in the same order).</summary>
    public IReadOnlyList<ClickKeyHistogram> Rows() =>
        _rows.Where(r => r.Value != default)
            .OrderBy(r => r.Key.Scope, StringComparer.Ordinal)
            .ThenBy(r => r.Key.Kind, StringComparer.Ordinal)
            .ThenBy(r => r.Key.Hour)
            .ThenBy(r => r.Key.Gap)
            .Select(r => new ClickKeyHistogram
            {
                Scope = r.Key.Scope, Kind = r.Key.Kind, Hour = r.Key.Hour, Gap = r.Key.Gap, HumanKeys = r.Value.Human, AllKeys = r.Value.All,
            })
            .ToList();

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

    private static (List<DateTime> Human, List<DateTime> All) Presence(
        Dictionary<(string TrackingId, DateTime Hour), (int Human, int Bot)> rows, Func<string, bool> inScope)
    {
        var human = new SortedSet<DateTime>();
        var all = new SortedSet<DateTime>();
        foreach (var ((trackingId, hour), (humanClicks, botClicks)) in rows)
        {
            if (humanClicks + botClicks <= 0 || !inScope(trackingId))
            {
                continue;
            }

            all.Add(hour);
            if (humanClicks > 0)
            {
                human.Add(hour);
            }
        }

        return ([.. human], [.. all]);
    }

    private void Move(string scope, string kind, bool gaps, (List<DateTime> Human, List<DateTime> All) before, (List<DateTime> Human, List<DateTime> All) after)
    {
        if (!before.Human.SequenceEqual(after.Human))
        {
            Count(scope, kind, CountedIn(before.Human, gaps), -1, human: true);
            Count(scope, kind, CountedIn(after.Human, gaps), +1, human: true);
        }

        if (!before.All.SequenceEqual(after.All))
        {
            Count(scope, kind, CountedIn(before.All, gaps), -1, human: false);
            Count(scope, kind, CountedIn(after.All, gaps), +1, human: false);
        }
    }

    private void Count(string scope, string kind, IEnumerable<(DateTime Hour, int Gap)> rows, int sign, bool human)
    {
        foreach (var (hour, gap) in rows)
        {
            var key = (scope, kind, hour, gap);
            var (h, a) = _rows.GetValueOrDefault(key);
            _rows[key] = human ? (h + sign, a) : (h, a + sign);
        }
    }
}
