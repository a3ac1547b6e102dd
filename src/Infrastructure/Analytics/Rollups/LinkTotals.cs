namespace LinkTracking.Infrastructure.Analytics.Rollups;

/// <summary>The links' totals' change that the link rollups' change makes (<see cref="ClickLinkTotal"/>): their <c>category</c> rows summed per link.</summary>
public static class LinkTotals
{
    /// <summary>Each link's change, in link order; links whose rows sum to no change left out.</summary>
    public static IReadOnlyList<(string TrackingId, long Human, long Bot)> Of(IEnumerable<RollupChange> links)
    {
        ArgumentNullException.ThrowIfNull(links);
        return links
            .Where(c => c.Name == RollupDimensions.Category)
            .GroupBy(c => c.TrackingId, StringComparer.Ordinal)
            .Select(g => (TrackingId: g.Key, Human: g.Sum(c => (long)c.HumanClicks), Bot: g.Sum(c => (long)c.BotClicks)))
            .Where(t => t.Human != 0 || t.Bot != 0)
            .OrderBy(t => t.TrackingId, StringComparer.Ordinal)
            .ToList();
    }
}
