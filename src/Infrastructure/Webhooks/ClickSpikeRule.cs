using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Webhooks;
using LinkTracking.Infrastructure.Analytics.Rollups;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Webhooks;

/// <summary>The <c>data</c> of <c>alert.click_spike</c>.</summary>
public sealed record ClickSpikeAlertData(
    string TrackingId,
    string LinkFunction,
    Guid? JobId,
    Guid? ApplicationId,
    int HumanClicks,
    DateTime WindowStart,
    DateTime WindowEnd,
    double UsualHourlyRate,
    DateTime BaselineFrom,
    DateTime BaselineTo,
    double Factor,
    int MinClicks);

/// <summary>
/// <c>alert.click_spike</c>: links whose human clicks in the last hour are at least
/// <see cref="WebhookAlertOptions.ClickSpikeMinClicks"/> and more than <see cref="WebhookAlertOptions.ClickSpikeFactor"/>
/// times their usual hourly rate — the mean over the 168 hours before the window's hour, from the hourly rollups,
/// hours before the link existed counting as zero. An episode closes when its link no longer spikes.
/// </summary>
public sealed class ClickSpikeRule(IOptions<WebhookOptions> options) : IWebhookAlertRule
{
    /// <summary>The spike window: human clicks of the last hour.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>The usual rate: human clicks per hour over the 7 days (168 hours) before the spike window's hour.</summary>
    public const int BaselineDays = 7;

    public string Type => WebhookEventTypes.AlertClickSpike;

    public bool Recurs => true;

    public string? OnlyKey => null;

    public async Task<IReadOnlyList<WebhookAlert>> FindAsync(LinkTrackingDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var windowStart = now - Window;
        var baselineTo = new DateTime(windowStart.Year, windowStart.Month, windowStart.Day, windowStart.Hour, 0, 0, DateTimeKind.Utc);
        var baselineFrom = baselineTo.AddDays(-BaselineDays);
        var alerts = options.Value.Alerts;
        var spiking = new List<WebhookAlert>();
        var recent = await db.Clicks.AsNoTracking()
            .Where(c => c.BotCategory == BotCategory.Human && c.ClickedAt > windowStart && c.ClickedAt <= now)
            .GroupBy(c => c.TrackingId)
            .Select(g => new { TrackingId = g.Key, Count = g.Count() })
            .Where(g => g.Count >= alerts.ClickSpikeMinClicks)
            .ToListAsync(cancellationToken);
        foreach (var chunk in recent.Chunk(WebhookAlertEpisodes.ChunkSize))
        {
            var ids = chunk.Select(r => r.TrackingId).ToList();
            var usual = await db.ClickRollups.AsNoTracking()
                .Where(r => r.Dimension == RollupDimensions.Source && ids.Contains(r.TrackingId) && r.Hour >= baselineFrom && r.Hour < baselineTo)
                .GroupBy(r => r.TrackingId)
                .Select(g => new { TrackingId = g.Key, HumanClicks = g.Sum(r => r.HumanClicks) })
                .ToDictionaryAsync(u => u.TrackingId.Value, u => u.HumanClicks, cancellationToken);
            var links = await db.Links.AsNoTracking()
                .Where(l => ids.Contains(l.TrackingId))
                .Select(l => new { l.TrackingId, l.LinkFunction, l.JobId, l.ApplicationId })
                .ToDictionaryAsync(l => l.TrackingId.Value, cancellationToken);
            foreach (var candidate in chunk)
            {
                var rate = usual.GetValueOrDefault(candidate.TrackingId.Value) / (BaselineDays * 24.0);
                if (candidate.Count > alerts.ClickSpikeFactor * rate && links.TryGetValue(candidate.TrackingId.Value, out var link))
                {
                    spiking.Add(new WebhookAlert(Key(link.TrackingId.Value), new WebhookEventDraft(Type, link.JobId, link.ApplicationId, new ClickSpikeAlertData(
                        link.TrackingId.Value, link.LinkFunction, link.JobId, link.ApplicationId, candidate.Count, windowStart, now,
                        Math.Round(rate, 3), baselineFrom, baselineTo, alerts.ClickSpikeFactor, alerts.ClickSpikeMinClicks))));
                }
            }
        }

        return spiking;
    }

    public static string Key(string trackingId) => $"{WebhookEventTypes.AlertClickSpike}:{trackingId}";
}
