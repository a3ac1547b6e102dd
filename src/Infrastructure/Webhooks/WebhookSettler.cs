using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Webhooks;
using LinkTracking.Infrastructure.Persistence;
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
/// Announces human clicks once they can no longer be reclassified: it reads stored human clicks older than the
/// burst and decoy windows (plus <see cref="WebhookOptions.SettleMargin"/>) past a persisted cursor, and in one
/// transaction writes their <c>click.human</c> and <c>application.first_human_click</c> (once per application, ever)
/// outbox rows and moves the cursor — guarded by the cursor's old value, so two nodes never announce a click twice.
/// A scanner's burst or decoy hit is reclassified within the window, so it never triggers an event.
/// </summary>
public sealed partial class WebhookSettler(
    IServiceScopeFactory scopes,
    IOptions<WebhookOptions> options,
    IOptions<ClickClassificationOptions> classification,
    TimeProvider timeProvider,
    ILogger<WebhookSettler> logger) : BackgroundService
{
    public const string CursorName = "settler";
    public const int BatchSize = 500;

    private readonly WebhookOptions _options = options.Value;

    /// <summary>How old a click must be before it is announced.</summary>
    public TimeSpan SettleDelay =>
        (classification.Value.BurstWindow > classification.Value.DecoyWindow ? classification.Value.BurstWindow : classification.Value.DecoyWindow)
        + _options.SettleMargin;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundRounds.RunAsync(async ct => await SettleAsync(ct) >= BatchSize, _options.SettleInterval, timeProvider, LogRoundFailed, stoppingToken);

    /// <summary>
    /// One round: settles the next batch of human clicks. The first round ever starts the cursor at the current
    /// threshold (history is not announced). Returns how many clicks were settled.
    /// </summary>
    public async Task<int> SettleAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>();
        var outbox = scope.ServiceProvider.GetRequiredService<IWebhookOutbox>();
        var threshold = timeProvider.GetUtcNow().UtcDateTime - SettleDelay;
        var cursor = await db.WebhookCursors.AsNoTracking().FirstOrDefaultAsync(c => c.Name == CursorName, cancellationToken);
        if (cursor is null)
        {
            db.WebhookCursors.Add(new WebhookCursor { Name = CursorName, Position = threshold });
            await db.SaveChangesAsync(cancellationToken);
            return 0;
        }

        var from = cursor.Position;
        if (threshold <= from)
        {
            return 0;
        }

        var batch = await HumanClicks(db, from, threshold).Take(BatchSize).ToListAsync(cancellationToken);
        DateTime to;
        if (batch.Count < BatchSize)
        {
            to = threshold;
        }
        else
        {
            // Never split clicks of one instant between rounds: the cursor is a time.
            to = batch[^1].ClickedAt;
            var before = batch.Where(c => c.ClickedAt < to).ToList();
            batch = before.Count > 0
                ? before
                : await HumanClicks(db, from, to).ToListAsync(cancellationToken);
            to = batch[^1].ClickedAt;
        }

        var events = new List<WebhookEventDraft>(batch.Count + 4);
        events.AddRange(batch.Select(c => new WebhookEventDraft(WebhookEventTypes.ClickHuman, c.JobId, c.ApplicationId, new HumanClickEventData(
            c.Id, c.TrackingId.Value, c.ClickedAt, c.LinkFunction, c.JobId, c.ApplicationId, c.ClickSource, c.Country, c.Browser, c.Os))));
        events.AddRange(await FirstHumanClicksAsync(db, batch, cancellationToken));

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await outbox.AddAsync(events, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var moved = await db.WebhookCursors
            .Where(c => c.Name == CursorName && c.Position == from)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Position, to), cancellationToken);
        if (moved != 1)
        {
            await transaction.RollbackAsync(cancellationToken);
            return 0; // another node settled this range first
        }

        await transaction.CommitAsync(cancellationToken);
        return batch.Count;
    }

    private static IQueryable<SettledClick> HumanClicks(LinkTrackingDbContext db, DateTime after, DateTime upTo) =>
        from c in db.Clicks.AsNoTracking()
        join l in db.Links.AsNoTracking() on c.TrackingId equals l.TrackingId
        where c.BotCategory == BotCategory.Human && c.ClickedAt > after && c.ClickedAt <= upTo
        orderby c.ClickedAt
        select new SettledClick(c.Id, c.TrackingId, c.ClickedAt, l.LinkFunction, l.JobId, l.ApplicationId, c.ClickSource, c.Country, c.Browser, c.Os);

    /// <summary>
    /// The first human click of each application in the batch that has none recorded: marked (so never again) and
    /// announced — unless the application had a human click before (e.g. before webhooks existed), then only marked.
    /// </summary>
    private static async Task<List<WebhookEventDraft>> FirstHumanClicksAsync(LinkTrackingDbContext db, List<SettledClick> batch, CancellationToken cancellationToken)
    {
        var firsts = batch.Where(c => c.ApplicationId is not null)
            .GroupBy(c => c.ApplicationId!.Value)
            .Select(g => g.First())
            .ToList();
        if (firsts.Count == 0)
        {
            return [];
        }

        var applicationIds = firsts.Select(f => f.ApplicationId!.Value).ToList();
        var known = await db.WebhookFirstHumanClicks.AsNoTracking()
            .Where(f => applicationIds.Contains(f.ApplicationId))
            .Select(f => f.ApplicationId)
            .ToListAsync(cancellationToken);
        var drafts = new List<WebhookEventDraft>();
        foreach (var first in firsts.Where(f => !known.Contains(f.ApplicationId!.Value)))
        {
            db.WebhookFirstHumanClicks.Add(new WebhookFirstHumanClick { ApplicationId = first.ApplicationId!.Value, ClickId = first.Id, ClickedAt = first.ClickedAt });
            var earlier = await (from c in db.Clicks
                                 join l in db.Links on c.TrackingId equals l.TrackingId
                                 where l.ApplicationId == first.ApplicationId && c.BotCategory == BotCategory.Human && c.ClickedAt < first.ClickedAt
                                 select c.Id).AnyAsync(cancellationToken);
            if (!earlier)
            {
                drafts.Add(new WebhookEventDraft(WebhookEventTypes.ApplicationFirstHumanClick, first.JobId, first.ApplicationId, new FirstHumanClickEventData(
                    first.ApplicationId!.Value, first.JobId, first.Id, first.TrackingId.Value, first.LinkFunction, first.ClickedAt)));
            }
        }

        return drafts;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A webhook settler round failed; retrying")]
    private partial void LogRoundFailed(Exception exception);

    private sealed record SettledClick(
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
