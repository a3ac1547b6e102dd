using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Options;
using LinkTracking.Application.Links.Common;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using LinkTracking.Domain.Webhooks;
using LinkTracking.Infrastructure.Analytics.Rollups;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
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

/// <summary>The <c>data</c> of <c>alert.scanner_only</c>.</summary>
public sealed record ScannerOnlyAlertData(Guid ApplicationId, Guid? JobId, int Links, long ScannerFetches, DateTime FirstFetchHour, double AfterDays);

/// <summary>What one round of <see cref="WebhookAlertEvaluator"/> did.</summary>
public sealed record AlertRound(int ExpiredLinks, int ClickSpikes, int ScannerOnly, bool PipelineBacklog, long DeletedRows);

/// <summary>
/// The webhook events nobody's request causes, every <see cref="WebhookAlertOptions.Interval"/> on every node that runs
/// webhooks: <c>link.expired</c> for links whose expiry has passed, the three <c>alert.*</c> conditions, and the
/// clean-up of old deliveries. Safe on several nodes: a link is marked announced by a conditional UPDATE in the
/// transaction of its outbox row, and an alert opens an episode row (<see cref="WebhookAlertEpisode"/>, keyed by alert and
/// subject) in the transaction of its outbox row — a second node finds it open, or loses the insert, and sends
/// nothing. An episode is announced once; it closes when its condition is gone, and a later occurrence is a new one.
/// </summary>
public sealed partial class WebhookAlertEvaluator(
    IServiceScopeFactory scopes,
    IClickPipelineBacklog pipeline,
    IOptions<WebhookOptions> options,
    TimeProvider timeProvider,
    ILogger<WebhookAlertEvaluator> logger) : BackgroundService
{
    /// <summary>Links announced as expired per transaction.</summary>
    public const int ExpiryBatchSize = 200;

    /// <summary>Rows deleted per statement by the clean-up, and the most statements per table and round.</summary>
    public const int DeleteBatchSize = 1000;

    public const int MaxDeleteBatches = 50;

    /// <summary>The spike window: human clicks of the last hour.</summary>
    public static readonly TimeSpan SpikeWindow = TimeSpan.FromHours(1);

    /// <summary>The usual rate: human clicks per hour over the 7 days (168 hours) before the spike window's hour.</summary>
    public const int BaselineDays = 7;

    /// <summary>
    /// How far back a first scanner fetch is looked for, beyond <see cref="WebhookAlertOptions.ScannerOnlyAfter"/>: an
    /// application whose first fetch is older than that when the evaluator first sees it (history at upgrade, a long
    /// outage) is not announced.
    /// </summary>
    public static readonly TimeSpan ScannerOnlyLookback = TimeSpan.FromDays(2);

    private const int ChunkSize = 500;

    private readonly WebhookOptions _options = options.Value;

    /// <summary>This node's name in <c>alert.pipeline_backlog</c>: each node has a spool of its own.</summary>
    public string Node { get; init; } = Environment.MachineName;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundRounds.RunAsync(async ct => (await EvaluateAsync(ct)).ExpiredLinks >= ExpiryBatchSize, _options.Alerts.Interval, timeProvider, LogRoundFailed, stoppingToken);

    /// <summary>One round: each step on its own, so that one failing does not hold up the others.</summary>
    public async Task<AlertRound> EvaluateAsync(CancellationToken cancellationToken)
    {
        var expired = await StepAsync(AnnounceExpiredLinksAsync, "link.expired", cancellationToken);
        var spikes = await StepAsync(CheckClickSpikesAsync, WebhookEventTypes.AlertClickSpike, cancellationToken);
        var scannerOnly = await StepAsync(CheckScannerOnlyAsync, WebhookEventTypes.AlertScannerOnly, cancellationToken);
        var backlog = await StepAsync(async ct => await CheckPipelineBacklogAsync(ct) ? 1 : 0, WebhookEventTypes.AlertPipelineBacklog, cancellationToken);
        var deleted = await StepAsync(async ct => (int)Math.Min(int.MaxValue, await DeleteOldDeliveriesAsync(ct)), "clean-up", cancellationToken);
        return new AlertRound(expired, spikes, scannerOnly, backlog == 1, deleted);
    }

    private async Task<int> StepAsync(Func<CancellationToken, Task<int>> step, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await step(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A database hiccup (or another node winning a race) is retried at the next round.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogStepFailed(exception, name);
            return 0;
        }
    }

    /// <summary>
    /// <c>link.expired</c>: active links whose <c>expires_at</c> has passed and that were not announced for it, one
    /// batch per transaction; each is marked by an UPDATE conditional on the mark being unset, and only the winner's
    /// event is added to the outbox. Returns how many were announced.
    /// </summary>
    public async Task<int> AnnounceExpiredLinksAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>();
        var outbox = scope.ServiceProvider.GetRequiredService<IWebhookOutbox>();
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var due = await db.Links.AsNoTracking()
            .Where(l => l.ExpiryAnnouncedAt == null && l.ExpiresAt != null && l.ExpiresAt <= now && l.IsActive && l.LinkFunction != LinkFunction.Decoy)
            .OrderBy(l => l.ExpiresAt)
            .ThenBy(l => l.Id) // one order on every node: their conditional updates never wait on each other in a cycle
            .Take(ExpiryBatchSize)
            .ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var events = new List<WebhookEventDraft>(due.Count);
        foreach (var link in due)
        {
            var expiresAt = link.ExpiresAt;
            var marked = await db.Links
                .Where(l => l.Id == link.Id && l.ExpiryAnnouncedAt == null && l.ExpiresAt == expiresAt)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiryAnnouncedAt, now), cancellationToken);
            if (marked == 1)
            {
                events.Add(LinkEvents.For(WebhookEventTypes.LinkExpired, link));
            }
        }

        await outbox.AddAsync(events, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return events.Count;
    }

    /// <summary>
    /// <c>alert.click_spike</c>: links whose human clicks in the last hour are at least
    /// <see cref="WebhookAlertOptions.ClickSpikeMinClicks"/> and more than <see cref="WebhookAlertOptions.ClickSpikeFactor"/>
    /// times their usual hourly rate — the mean over the 168 hours before the window's hour, from the hourly rollups,
    /// hours before the link existed counting as zero. Closes the episodes of links no longer spiking. Returns how
    /// many alerts were raised.
    /// </summary>
    public async Task<int> CheckClickSpikesAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var windowStart = now - SpikeWindow;
        var baselineTo = new DateTime(windowStart.Year, windowStart.Month, windowStart.Day, windowStart.Hour, 0, 0, DateTimeKind.Utc);
        var baselineFrom = baselineTo.AddDays(-BaselineDays);
        var alerts = _options.Alerts;
        var spiking = new List<WebhookEventDraft>();
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>();
            var recent = await db.Clicks.AsNoTracking()
                .Where(c => c.BotCategory == BotCategory.Human && c.ClickedAt > windowStart && c.ClickedAt <= now)
                .GroupBy(c => c.TrackingId)
                .Select(g => new { TrackingId = g.Key, Count = g.Count() })
                .Where(g => g.Count >= alerts.ClickSpikeMinClicks)
                .ToListAsync(cancellationToken);
            foreach (var chunk in recent.Chunk(ChunkSize))
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
                        spiking.Add(new WebhookEventDraft(WebhookEventTypes.AlertClickSpike, link.JobId, link.ApplicationId, new ClickSpikeAlertData(
                            link.TrackingId.Value, link.LinkFunction, link.JobId, link.ApplicationId, candidate.Count, windowStart, now,
                            Math.Round(rate, 3), baselineFrom, baselineTo, alerts.ClickSpikeFactor, alerts.ClickSpikeMinClicks)));
                    }
                }
            }
        }

        var keys = spiking.Select(d => SpikeKey(((ClickSpikeAlertData)d.Data).TrackingId)).ToList();
        var open = await CloseEpisodesAsync(WebhookEventTypes.AlertClickSpike, keys, cancellationToken);
        var raised = 0;
        for (var i = 0; i < spiking.Count; i++)
        {
            // Still spiking since an earlier round: nothing to send, no write transaction to open.
            if (!open.Contains(keys[i]) && await RaiseAsync(keys[i], spiking[i], cancellationToken))
            {
                raised++;
            }
        }

        return raised;
    }

    /// <summary>
    /// <c>alert.scanner_only</c>: applications whose links were fetched, only ever by bots (no human click in the
    /// rollups), for <see cref="WebhookAlertOptions.ScannerOnlyAfter"/> since the hour of the first fetch. Once per
    /// application. Returns how many alerts were raised.
    /// </summary>
    public async Task<int> CheckScannerOnlyAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var after = _options.Alerts.ScannerOnlyAfter;
        // The first fetch's whole hour must lie at least `after` back.
        var latestFirstHour = now - after - TimeSpan.FromHours(1);
        var earliestFirstHour = latestFirstHour - ScannerOnlyLookback;
        var drafts = new List<(string Key, WebhookEventDraft Draft)>();
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>();
            var candidates = await (from r in db.ClickRollups.AsNoTracking()
                                    join l in db.Links.AsNoTracking() on r.TrackingId equals l.TrackingId
                                    where r.Dimension == RollupDimensions.Source && l.ApplicationId != null && r.BotClicks > 0
                                          && r.Hour > earliestFirstHour && r.Hour <= latestFirstHour
                                    select l.ApplicationId).Distinct().ToListAsync(cancellationToken);
            foreach (var chunk in candidates.Chunk(ChunkSize))
            {
                var keys = chunk.Select(a => ScannerOnlyKey(a!.Value)).ToList();
                var announced = await db.WebhookAlertEpisodes.AsNoTracking().Where(e => keys.Contains(e.Key)).Select(e => e.Key).ToListAsync(cancellationToken);
                var open = chunk.Where(a => !announced.Contains(ScannerOnlyKey(a!.Value))).ToList();

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
                    drafts.Add((ScannerOnlyKey(applicationId), new WebhookEventDraft(WebhookEventTypes.AlertScannerOnly, jobId, applicationId, new ScannerOnlyAlertData(
                        applicationId, jobId, links.Count, s.BotClicks, DateTime.SpecifyKind(s.FirstHour, DateTimeKind.Utc), Math.Round(after.TotalDays, 3)))));
                }
            }
        }

        var raised = 0;
        foreach (var (key, draft) in drafts)
        {
            if (await RaiseAsync(key, draft, cancellationToken))
            {
                raised++;
            }
        }

        return raised;
    }

    /// <summary>
    /// <c>alert.pipeline_backlog</c> for this node: raised when <see cref="PipelineBacklogCheck"/> finds a threshold
    /// exceeded, closed when neither is. Returns whether an alert was raised.
    /// </summary>
    public async Task<bool> CheckPipelineBacklogAsync(CancellationToken cancellationToken)
    {
        var key = BacklogKey(Node);
        var data = PipelineBacklogCheck.Evaluate(pipeline, _options.Alerts, Node);
        if (data is null)
        {
            await CloseEpisodesAsync(WebhookEventTypes.AlertPipelineBacklog, [], cancellationToken, onlyKey: key);
            return false;
        }

        return await RaiseAsync(key, new WebhookEventDraft(WebhookEventTypes.AlertPipelineBacklog, null, null, data), cancellationToken);
    }

    /// <summary>
    /// Deletes finished outbox rows (delivered or given up) completed, and delivery log rows attempted, more than
    /// <see cref="WebhookOptions.KeepDeliveriesDays"/> ago, and alert episodes closed that long ago — in batches of
    /// <see cref="DeleteBatchSize"/>. Pending rows are never touched. Returns how many rows were deleted.
    /// </summary>
    public async Task<long> DeleteOldDeliveriesAsync(CancellationToken cancellationToken)
    {
        var cutoff = timeProvider.GetUtcNow().UtcDateTime.AddDays(-_options.KeepDeliveriesDays);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>();
        long deleted = 0;
        deleted += await InBatchesAsync(() => db.WebhookDeliveries
            .Where(d => d.AttemptedAt < cutoff)
            .OrderBy(d => d.AttemptedAt)
            .Take(DeleteBatchSize)
            .ExecuteDeleteAsync(cancellationToken));
        deleted += await InBatchesAsync(() => db.WebhookOutbox
            .Where(m => m.Status != WebhookOutboxStatus.Pending && m.CompletedAt != null && m.CompletedAt < cutoff)
            .OrderBy(m => m.CompletedAt)
            .Take(DeleteBatchSize)
            .ExecuteDeleteAsync(cancellationToken));
        deleted += await db.WebhookAlertEpisodes.Where(e => e.ClearedAt != null && e.ClearedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        return deleted;
    }

    private static async Task<long> InBatchesAsync(Func<Task<int>> deleteBatch)
    {
        long total = 0;
        for (var i = 0; i < MaxDeleteBatches; i++)
        {
            var n = await deleteBatch();
            total += n;
            if (n < DeleteBatchSize)
            {
                break;
            }
        }

        return total;
    }

    /// <summary>
    /// Opens the episode <paramref name="key"/> and adds its event to the outbox, in one transaction — unless it is
    /// open already or another node opened it first. Returns whether this call raised it.
    /// </summary>
    private async Task<bool> RaiseAsync(string key, WebhookEventDraft draft, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>();
        var outbox = scope.ServiceProvider.GetRequiredService<IWebhookOutbox>();
        var now = timeProvider.GetUtcNow().UtcDateTime;
        if (await db.WebhookAlertEpisodes.AsNoTracking().AnyAsync(e => e.Key == key && e.ClearedAt == null, cancellationToken))
        {
            return false; // the usual case while a condition lasts: no write transaction for it
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var episode = await db.WebhookAlertEpisodes.AsNoTracking().FirstOrDefaultAsync(e => e.Key == key, cancellationToken);
        if (episode is { ClearedAt: null })
        {
            return false;
        }

        if (episode is null)
        {
            db.WebhookAlertEpisodes.Add(new WebhookAlertEpisode { Key = key, Type = draft.Type, RaisedAt = now });
        }
        else
        {
            var reopened = await db.WebhookAlertEpisodes
                .Where(e => e.Key == key && e.ClearedAt != null)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.ClearedAt, (DateTime?)null).SetProperty(e => e.RaisedAt, now), cancellationToken);
            if (reopened != 1)
            {
                return false;
            }
        }

        await outbox.AddAsync([draft], cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (episode is null)
        {
            return false; // another node inserted the episode first; it sends the event
        }

        await transaction.CommitAsync(cancellationToken);
        LogRaised(draft.Type, key);
        return true;
    }

    /// <summary>
    /// Closes the open episodes of <paramref name="type"/> except <paramref name="stillOpen"/> (or only
    /// <paramref name="onlyKey"/>); returns the keys of those that stay open.
    /// </summary>
    private async Task<HashSet<string>> CloseEpisodesAsync(string type, IReadOnlyCollection<string> stillOpen, CancellationToken cancellationToken, string? onlyKey = null)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>();
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var open = await db.WebhookAlertEpisodes.AsNoTracking()
            .Where(e => e.Type == type && e.ClearedAt == null && (onlyKey == null || e.Key == onlyKey))
            .Select(e => e.Key)
            .ToListAsync(cancellationToken);
        foreach (var chunk in open.Where(k => !stillOpen.Contains(k)).Chunk(ChunkSize))
        {
            await db.WebhookAlertEpisodes
                .Where(e => chunk.Contains(e.Key) && e.ClearedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.ClearedAt, now), cancellationToken);
        }

        return [.. open.Where(stillOpen.Contains)];
    }

    public static string SpikeKey(string trackingId) => $"{WebhookEventTypes.AlertClickSpike}:{trackingId}";

    public static string ScannerOnlyKey(Guid applicationId) => $"{WebhookEventTypes.AlertScannerOnly}:{applicationId:D}";

    public static string BacklogKey(string node)
    {
        var key = $"{WebhookEventTypes.AlertPipelineBacklog}:{node}";
        return key.Length > WebhookAlertEpisode.MaxKeyLength ? key[..WebhookAlertEpisode.MaxKeyLength] : key;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A webhook alert round failed; retrying")]
    private partial void LogRoundFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Step} step of the webhook alert evaluator failed; retrying at the next round")]
    private partial void LogStepFailed(Exception exception, string step);

    [LoggerMessage(Level = LogLevel.Information, Message = "Raised {Type} ({Key})")]
    private partial void LogRaised(string type, string key);
}
