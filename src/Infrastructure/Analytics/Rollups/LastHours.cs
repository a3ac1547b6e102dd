namespace LinkTracking.Infrastructure.Analytics.Rollups;

/// <summary>The change to <see cref="ClickLastHours"/> that the link rollups' change makes.</summary>
public static class LastHours
{
    /// <summary>
    /// The links whose <c>category</c> rows changed, in ordinal order (so concurrent writers lock their rows in the same
    /// order). A link that only gained clicks has its latest hours with a human click and with any click in the change
    /// (null when it has none): the stored hours can only move up to them. A link that lost clicks anywhere (an erasure,
    /// a reclassification) has both null and <c>Recount</c> set: its hours may move back, so the store recomputes them
    /// from its rollups once the change is applied.
    /// </summary>
    public static IReadOnlyList<LastHoursChange> Of(IEnumerable<RollupChange> rollups)
    {
        ArgumentNullException.ThrowIfNull(rollups);
        var changes = new Dictionary<string, LastHoursChange>(StringComparer.Ordinal);
        foreach (var change in rollups)
        {
            if (change.Name != RollupDimensions.Category)
            {
                continue;
            }

            var last = changes.GetValueOrDefault(change.TrackingId) ?? new LastHoursChange(change.TrackingId, null, null, false);
            if (change.HumanClicks < 0 || change.BotClicks < 0 || last.Recount)
            {
                changes[change.TrackingId] = last with { LastHumanHour = null, LastHour = null, Recount = true };
                continue;
            }

            changes[change.TrackingId] = last with
            {
                LastHumanHour = change.HumanClicks > 0 ? Later(last.LastHumanHour, change.Hour) : last.LastHumanHour,
                LastHour = change.HumanClicks + change.BotClicks > 0 ? Later(last.LastHour, change.Hour) : last.LastHour,
            };
        }

        return changes.Values.OrderBy(c => c.TrackingId, StringComparer.Ordinal).ToList();
    }

    private static DateTime Later(DateTime? stored, DateTime hour) => stored is { } s && s > hour ? s : hour;
}

/// <summary>A link's change of <see cref="ClickLastHours"/> (<see cref="LastHours.Of"/>).</summary>
public sealed record LastHoursChange(string TrackingId, DateTime? LastHumanHour, DateTime? LastHour, bool Recount);
