using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Webhooks;
using LinkTracking.Infrastructure.Analytics.Rollups;
using LinkTracking.Infrastructure.Persistence;
using LinkTracking.Infrastructure.Persistence.Configurations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Webhooks;

/// <summary>The <c>data</c> of <c>click.human</c>.</summary>
public sealed record HumanClickEventData(
    Guid ClickId,
    string TrackingId,
    DateTime ClickedAt,
    string LinkFunction,
    Guid? JobId,
    Guid? ApplicationId,
    string ClickSource,
    string? Country,
    string? Browser,
    string? Os);

/// <summary>The <c>data</c> of <c>application.first_human_click</c>.</summary>
public sealed record FirstHumanClickEventData(Guid ApplicationId, Guid? JobId, Guid ClickId, string TrackingId, string LinkFunction, DateTime ClickedAt);

/// <summary>
/// Announces human clicks at once, and leaves later evidence to <c>click.reclassified</c>
/// (<see cref="WebhookReclassificationObserver"/>): a human click is announced once the rollup worker has counted it —
/// so the after-the-fact rules ran over its window (<c>seq</c> ≤ the watermark, ADR 0021) — and its burst window has
/// passed for the clicks the worker has seen (its <c>clicked_at</c> + <see cref="ClickClassificationOptions.BurstWindow"/>
/// is before the watermark's <c>covered_at</c>). The cursor is a click number (<see cref="WebhookCursor.Seq"/>): every
/// number up to the watermark belongs to a committed click or to none, so moving it in number order skips nothing.
/// One round moves it in one transaction that also writes the <c>click.human</c> and
/// <c>application.first_human_click</c> rows — the move is guarded by the cursor's old value and comes first, so two
/// nodes never announce a click twice, and a reclassification (which takes the same row lock) either lands before the
/// round reads the clicks or finds the cursor past them and sends <c>click.reclassified</c>.
/// </summary>
public sealed partial class WebhookSettler(
    IServiceScopeFactory scopes,
    IClickRollupStore rollups,
    IOptions<WebhookOptions> options,
    IOptions<ClickClassificationOptions> classification,
    TimeProvider timeProvider,
    ILogger<WebhookSettler> logger) : BackgroundService
{
    public const string CursorName = "settler";
    public const int BatchSize = 500;

    private readonly WebhookOptions _options = options.Value;

    /// <summary>How long after a click it is announced at the earliest: its burst window.</summary>
    public TimeSpan SettleDelay => classification.Value.BurstWindow;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundRounds.RunAsync(async ct => await SettleAsync(ct) >= BatchSize, _options.SettleInterval, timeProvider, LogRoundFailed, stoppingToken);

    /// <summary>
    /// One round: announces the next batch of human clicks. The first round ever starts the cursor at the watermark
    /// (history is not announced). Returns how many clicks were announced.
    /// </summary>
    public async Task<int> SettleAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>();
        var outbox = scope.ServiceProvider.GetRequiredService<IWebhookOutbox>();
        var now = timeProvider.GetUtcNow().UtcDateTime;
        RollupRound watermark;
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            watermark = await rollups.WatermarkAsync(db.Database.GetDbConnection(), cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        var cursor = await db.WebhookCursors.AsNoTracking().FirstOrDefaultAsync(c => c.Name == CursorName, cancellationToken);
        if (cursor?.Seq is not { } from)
        {
            await StartAsync(db, cursor, watermark.Watermark, now, cancellationToken);
            return 0;
        }

        var floor = cursor.Position;
        var settled = (watermark.CoveredAt < now ? watermark.CoveredAt : now) - SettleDelay;
        var candidates = await HumanClicks(db, from, watermark.Watermark, floor).Take(BatchSize).ToListAsync(cancellationToken);
        var to = candidates.Count < BatchSize ? watermark.Watermark : candidates[^1].Seq;
        var unsettled = candidates.FirstOrDefault(c => c.ClickedAt > settled);
        if (unsettled is not null)
        {
            to = unsettled.Seq - 1; // its burst may still complete: this round stops before it
        }

        if (to <= from)
        {
            return 0;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var moved = await db.WebhookCursors
            .Where(c => c.Name == CursorName && c.Seq == from)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Seq, to), cancellationToken);
        if (moved != 1)
        {
            await transaction.RollbackAsync(cancellationToken);
            return 0; // another node announced this range first
        }

        // Read again under the cursor's lock: a reclassification committed meanwhile is seen, one still to come finds
        // the cursor moved and announces itself.
        var batch = await HumanClicks(db, from, to, floor).ToListAsync(cancellationToken);
        var events = new List<WebhookEventDraft>(batch.Count + 4);
        events.AddRange(batch.Select(c => new WebhookEventDraft(WebhookEventTypes.ClickHuman, c.JobId, c.ApplicationId, new HumanClickEventData(
            c.Id, c.TrackingId.Value, c.ClickedAt, c.LinkFunction, c.JobId, c.ApplicationId, c.ClickSource, c.Country, c.Browser, c.Os))));
        events.AddRange(await FirstHumanClicksAsync(db, batch, cancellationToken));
        await outbox.AddAsync(events, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return batch.Count;
    }

    /// <summary>
    /// Starts the cursor at the watermark; a cursor of the time-based settler (no number yet) starts just before the
    /// first click it had not passed, keeping its time as the floor, so the upgrade neither repeats nor skips a click.
    /// </summary>
    private static async Task StartAsync(LinkTrackingDbContext db, WebhookCursor? cursor, long watermark, DateTime now, CancellationToken cancellationToken)
    {
        if (cursor is null)
        {
            db.WebhookCursors.Add(new WebhookCursor { Name = CursorName, Position = now, Seq = watermark });
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        var floor = cursor.Position;
        var next = await db.Clicks.AsNoTracking()
            .Where(c => c.ClickedAt > floor)
            .Select(c => (long?)EF.Property<long>(c, LinkClickConfiguration.SeqColumn))
            .MinAsync(cancellationToken);
        var start = next is { } first && first - 1 < watermark ? first - 1 : watermark;
        await db.WebhookCursors
            .Where(c => c.Name == CursorName && c.Seq == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Seq, start), cancellationToken);
    }

    /// <summary>Human clicks numbered in (<paramref name="after"/>, <paramref name="upTo"/>] that happened after <paramref name="floor"/>, by number.</summary>
    private static IQueryable<SettledClick> HumanClicks(LinkTrackingDbContext db, long after, long upTo, DateTime floor) =>
        from c in db.Clicks.AsNoTracking()
        join l in db.Links.AsNoTracking() on c.TrackingId equals l.TrackingId
        let seq = EF.Property<long>(c, LinkClickConfiguration.SeqColumn)
        where c.BotCategory == BotCategory.Human && seq > after && seq <= upTo && c.ClickedAt > floor
        orderby seq
        select new SettledClick(seq, c.Id, c.TrackingId, c.ClickedAt, l.LinkFunction, l.JobId, l.ApplicationId, c.ClickSource, c.Country, c.Browser, c.Os);

    /// <summary>
    /// The first human click of each application in the batch that has none recorded, or whose recorded one was
    /// withdrawn: marked, and announced — unless the application had a human click before that was never announced
    /// (e.g. before webhooks existed), then only marked. A withdrawn first is replaced by the next human click.
    /// </summary>
    private static async Task<List<WebhookEventDraft>> FirstHumanClicksAsync(LinkTrackingDbContext db, List<SettledClick> batch, CancellationToken cancellationToken)
    {
        var firsts = batch.Where(c => c.ApplicationId is not null)
            .GroupBy(c => c.ApplicationId!.Value)
            .Select(g => g.OrderBy(c => c.ClickedAt).First())
            .ToList();
        if (firsts.Count == 0)
        {
            return [];
        }

        var applicationIds = firsts.Select(f => f.ApplicationId!.Value).ToList();
        var known = await db.WebhookFirstHumanClicks
            .Where(f => applicationIds.Contains(f.ApplicationId))
            .ToDictionaryAsync(f => f.ApplicationId, cancellationToken);
        var drafts = new List<WebhookEventDraft>();
        foreach (var first in firsts)
        {
            var applicationId = first.ApplicationId!.Value;
            if (known.TryGetValue(applicationId, out var recorded))
            {
                if (recorded.WithdrawnAt is null || recorded.ClickId == first.Id)
                {
                    continue;
                }

                recorded.ClickId = first.Id;
                recorded.ClickedAt = first.ClickedAt;
                recorded.WithdrawnAt = null;
            }
            else
            {
                db.WebhookFirstHumanClicks.Add(new WebhookFirstHumanClick { ApplicationId = applicationId, ClickId = first.Id, ClickedAt = first.ClickedAt });
                var earlier = await (from c in db.Clicks
                                     join l in db.Links on c.TrackingId equals l.TrackingId
                                     where l.ApplicationId == applicationId && c.BotCategory == BotCategory.Human && c.ClickedAt < first.ClickedAt
                                     select c.Id).AnyAsync(cancellationToken);
                if (earlier)
                {
                    continue;
                }
            }

            drafts.Add(new WebhookEventDraft(WebhookEventTypes.ApplicationFirstHumanClick, first.JobId, first.ApplicationId, new FirstHumanClickEventData(
                applicationId, first.JobId, first.Id, first.TrackingId.Value, first.LinkFunction, first.ClickedAt)));
        }

        return drafts;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A webhook settler round failed; retrying")]
    private partial void LogRoundFailed(Exception exception);

    private sealed record SettledClick(
        long Seq,
        Guid Id,
        Domain.Links.TrackingId TrackingId,
        DateTime ClickedAt,
        string LinkFunction,
        Guid? JobId,
        Guid? ApplicationId,
        string ClickSource,
        string? Country,
        string? Browser,
        string? Os);
}
