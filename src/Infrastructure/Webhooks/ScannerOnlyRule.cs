using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Links;
using LinkTracking.Domain.Webhooks;
using LinkTracking.Infrastructure.Analytics.Rollups;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Webhooks;

/// <summary>The <c>data</c> of <c>alert.scanner_only</c>.</summary>
public sealed record ScannerOnlyAlertData(Guid ApplicationId, Guid? JobId, int Links, long ScannerFetches, DateTime FirstFetchHour, double AfterDays);

/// <summary>
/// <c>alert.scanner_only</c>: applications whose links were fetched, only ever by bots (no human click in the rollups),
/// for <see cref="WebhookAlertOptions.ScannerOnlyAfter"/> since the hour of the first fetch. Once per application.
/// </summary>
public sealed class ScannerOnlyRule(IOptions<WebhookOptions> options) : IWebhookAlertRule
{
    /// <summary>
    /// How far back a first scanner fetch is looked for, beyond <see cref="WebhookAlertOptions.ScannerOnlyAfter"/>: an
    /// application whose first fetch is older than that when the rule first sees it (history at upgrade, a long
    /// outage) is not announced.
    /// </summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromDays(2);

    public string Type => WebhookEventTypes.AlertScannerOnly;

    public bool Recurs => false;

    public string? OnlyKey => null;

    public async Task<IReadOnlyList<WebhookAlert>> FindAsync(LinkTrackingDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var after = options.Value.Alerts.ScannerOnlyAfter;
        // The first fetch's whole hour must lie at least `after` back.
        var latestFirstHour = now - after - TimeSpan.FromHours(1);
        var earliestFirstHour = latestFirstHour - Lookback;
        var found = new List<WebhookAlert>();
        var candidates = await (from r in db.ClickRollups.AsNoTracking()
                                join l in db.Links.AsNoTracking() on r.TrackingId equals l.TrackingId
                                where r.Dimension == RollupDimensions.Source && l.ApplicationId != null && r.BotClicks > 0
                                      && r.Hour > earliestFirstHour && r.Hour <= latestFirstHour
                                select l.ApplicationId).Distinct().ToListAsync(cancellationToken);
        foreach (var chunk in candidates.Chunk(WebhookAlertEpisodes.ChunkSize))
        {
            var keys = chunk.Select(a => Key(a!.Value)).ToList();
            var announced = await db.WebhookAlertEpisodes.AsNoTracking().Where(e => keys.Contains(e.Key)).Select(e => e.Key).ToListAsync(cancellationToken);
            var open = chunk.Where(a => !announced.Contains(Key(a!.Value))).ToList();

            // Most applications have a human click somewhere: one index probe per link finds it, so only the
            // scanner-only ones have their (few, bot-only) rows summed below, not every application's history.
            var withHumans = await db.Links.AsNoTracking()
                .Where(l => open.Contains(l.ApplicationId) && db.ClickRollups.Any(r => r.TrackingId == l.TrackingId && r.HumanClicks > 0))
                .Select(l => l.ApplicationId)
                .Distinct()
                .ToListAsync(cancellationToken);
            open.RemoveAll(withHumans.Contains);
            if (open.Count == 0)
            {
                continue;
            }

            var stats = await (from r in db.ClickRollups.AsNoTracking()
                               join l in db.Links.AsNoTracking() on r.TrackingId equals l.TrackingId
                               where r.Dimension == RollupDimensions.Source && open.Contains(l.ApplicationId)
                               group r by l.ApplicationId into g
                               select new
                               {
                                   ApplicationId = g.Key,
                                   FirstHour = g.Min(r => r.Hour),
                                   HumanClicks = g.Sum(r => r.HumanClicks),
                                   BotClicks = g.Sum(r => (long)r.BotClicks),
                               }).ToListAsync(cancellationToken);
            foreach (var s in stats.Where(s => s.HumanClicks == 0 && s.FirstHour > earliestFirstHour && s.FirstHour <= latestFirstHour))
            {
                var applicationId = s.ApplicationId!.Value;
                var links = await db.Links.AsNoTracking()
                    .Where(l => l.ApplicationId == applicationId && l.LinkFunction != LinkFunction.Decoy)
                    .Select(l => l.JobId)
                    .ToListAsync(cancellationToken);
                var jobId = links.FirstOrDefault(j => j is not null);
                found.Add(new WebhookAlert(Key(applicationId), new WebhookEventDraft(Type, jobId, applicationId, new ScannerOnlyAlertData(
                    applicationId, jobId, links.Count, s.BotClicks, DateTime.SpecifyKind(s.FirstHour, DateTimeKind.Utc), Math.Round(after.TotalDays, 3)))));
            }
        }

        return found;
    }

    public static string Key(Guid applicationId) => $"{WebhookEventTypes.AlertScannerOnly}:{applicationId:D}";
}
