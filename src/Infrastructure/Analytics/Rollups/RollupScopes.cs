using System.Runtime.InteropServices;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Links;

namespace LinkTracking.Infrastructure.Analytics.Rollups;

/// <summary>
/// The scopes clicks are summed in and distinct keys estimated in, by name: a link (<c>l:</c>), an application
/// (<c>a:</c>), a job (<c>j:</c>), all links (<c>*</c>), and the last three per link function (<c>…/function</c>).
/// </summary>
public static class DistinctScopes
{
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
    /// Where a link's keys are counted, and whether that scope keeps hourly sketches besides daily ones (it answers
    /// distinct keys per day in any time zone: a link and all links). A decoy counts only in its own scope, as it does
    /// everywhere; addresses count only per link (<c>unique_ips</c>).
    /// </summary>
    public static IReadOnlyList<(string Scope, bool Hourly)> For(LinkFacts link, string kind)
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
/// The scopes a link's clicks are summed in: all its dimensions in its application, its job and all links, and its
/// categories in each of those per function. None for a decoy. Every scope keeps daily rows
/// (<see cref="ClickDailyRollup"/>); only all links keep hourly ones of every dimension (<see cref="ClickScopeRollup"/>,
/// ADR 0026), and a job hourly ones of its categories (ADR 0029); an application's hours are read from its few links'
/// own hourly rows, which hold the same clicks.
/// </summary>
public static class RollupScopes
{
    /// <summary>
    /// Whether a scope keeps hourly rows of a dimension besides daily ones: all links and all links per function every
    /// dimension (the scopes whose names start with <c>*</c>), a job its categories (<c>j:</c> without a function: its
    /// heatmap and hours in any zone, which otherwise summed every hourly row of its links). The SQL of both stores
    /// tests the same.
    /// </summary>
    public static bool KeepsHours(string scope, string dimension)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return scope.StartsWith(DistinctScopes.All, StringComparison.Ordinal)
               || (dimension == RollupDimensions.Category && scope.StartsWith("j:", StringComparison.Ordinal) && !scope.Contains('/', StringComparison.Ordinal));
    }

    public static IReadOnlyList<(string Scope, bool AllDimensions)> For(LinkFacts link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return DistinctScopes.For(link, RollupDimensions.SessionKind)
            .Where(s => s.Scope != DistinctScopes.Link(link.TrackingId))
            .Select(s => (s.Scope, AllDimensions: !s.Scope.Contains('/', StringComparison.Ordinal)))
            .ToList();
    }

    /// <summary>
    /// The scope rollups' change that the link rollups' change makes, per hour: each link row added to each of its
    /// link's scopes. The daily rows of every scope are summed from these; only those of <see cref="KeepsHours"/>
    /// scopes are stored per hour.
    /// </summary>
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
