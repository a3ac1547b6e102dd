using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Application.Clicks.Classification;

/// <summary>One stored click of a group (one application, one origin), as the after-the-fact rules see it.</summary>
public sealed record OriginClick(Guid Id, string TrackingId, DateTime ClickedAt, bool OnDecoy);

/// <summary>
/// The rules that need other clicks, applied after clicks are stored: a <b>burst</b> — one origin fetching
/// <see cref="ClickClassificationOptions.BurstMinLinks"/> or more distinct links of one application within
/// <see cref="ClickClassificationOptions.BurstWindow"/> — and a <b>decoy</b> hit, which makes that origin's clicks on
/// the application within <see cref="ClickClassificationOptions.DecoyWindow"/> before and after it scanner clicks.
/// Clicks that arrived looking human are reclassified; pure functions, so the same clicks always give the same answer.
/// </summary>
public static class AfterTheFactRules
{
    /// <summary>The signal each click of <paramref name="group"/> earns (<see cref="ClickSignals.Burst"/> or <see cref="ClickSignals.Decoy"/>), if any.</summary>
    public static IReadOnlyList<(Guid Id, string Signal)> Find(IReadOnlyList<OriginClick> group, ClickClassificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(options);
        var found = new List<(Guid, string)>();
        var ordered = group.OrderBy(c => c.ClickedAt).ThenBy(c => c.Id).ToList();
        if (options.DecoyRule)
        {
            var hits = ordered.Where(c => c.OnDecoy).Select(c => c.ClickedAt).ToList();
            if (hits.Count > 0)
            {
                found.AddRange(ordered
                    .Where(c => hits.Exists(hit => (c.ClickedAt - hit).Duration() <= options.DecoyWindow))
                    .Select(c => (c.Id, ClickSignals.Decoy)));
            }
        }

        if (options.BurstRule && options.BurstMinLinks > 1)
        {
            found.AddRange(Bursts(ordered.Where(c => !c.OnDecoy).ToList(), options).Select(id => (id, ClickSignals.Burst)));
        }

        return found;
    }

    /// <summary>Clicks inside any window of <see cref="ClickClassificationOptions.BurstWindow"/> that spans enough distinct links.</summary>
    private static HashSet<Guid> Bursts(List<OriginClick> ordered, ClickClassificationOptions options)
    {
        var inBurst = new HashSet<Guid>();
        var linksInWindow = new Dictionary<string, int>(StringComparer.Ordinal);
        var start = 0;
        for (var end = 0; end < ordered.Count; end++)
        {
            Add(linksInWindow, ordered[end].TrackingId, 1);
            while (ordered[end].ClickedAt - ordered[start].ClickedAt > options.BurstWindow)
            {
                Add(linksInWindow, ordered[start].TrackingId, -1);
                start++;
            }

            if (linksInWindow.Count >= options.BurstMinLinks)
            {
                for (var i = start; i <= end; i++)
                {
                    inBurst.Add(ordered[i].Id);
                }
            }
        }

        return inBurst;
    }

    private static void Add(Dictionary<string, int> counts, string key, int delta)
    {
        var count = counts.GetValueOrDefault(key) + delta;
        if (count == 0)
        {
            counts.Remove(key);
        }
        else
        {
            counts[key] = count;
        }
    }
}
