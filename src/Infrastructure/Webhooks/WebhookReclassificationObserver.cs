using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Webhooks;
using LinkTracking.Infrastructure.Clicks;
using LinkTracking.Infrastructure.Persistence;
using LinkTracking.Infrastructure.Persistence.Configurations;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.Webhooks;

/// <summary>The <c>data</c> of <c>click.reclassified</c>.</summary>
public sealed record ClickReclassifiedEventData(
    Guid ClickId,
    string From,
    string To,
    IReadOnlyList<string> Signals,
    string TrackingId,
    DateTime ClickedAt,
    string LinkFunction,
    Guid? JobId,
    Guid? ApplicationId);

/// <summary>
/// <c>click.reclassified</c>: a click the settler has passed (<c>seq</c> ≤ its cursor, so it was announced as
/// <c>click.human</c> if it was a person's then) changes between a person's and a bot's — later evidence (a decoy hit, a
/// burst completed by a later fetch) or a user's label. Changes between two bot categories, and changes of clicks the
/// settler has not reached (it announces them as they are when it gets there), send nothing. A withdrawn click that
/// was its application's announced first human click marks that record withdrawn, so the next human click announced
/// is the first again; the same click turning back into a person's restores the record without a second event.
/// Runs inside the change's transaction and takes the settler cursor's row lock first (<see cref="WebhookSettler"/>).
/// </summary>
public sealed class WebhookReclassificationObserver(TimeProvider timeProvider) : IClickReclassificationObserver
{
    public async Task OnReclassifiedAsync(LinkTrackingDbContext db, IReadOnlyList<ClickReclassified> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(changes);
        var crossing = changes.Where(c => (c.From == BotCategory.Human) != (c.Click.BotCategory == BotCategory.Human)).ToList();
        if (crossing.Count == 0)
        {
            return;
        }

        // A write that changes nothing, for its row lock: a settler round moving the cursor waits for this change to
        // commit (and then reads the clicks as changed), or this change waits for the round and finds the cursor moved.
        await db.WebhookCursors
            .Where(c => c.Name == WebhookSettler.CursorName)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Seq, c => c.Seq), cancellationToken);
        var cursor = await db.WebhookCursors.AsNoTracking()
            .Where(c => c.Name == WebhookSettler.CursorName)
            .Select(c => c.Seq)
            .FirstOrDefaultAsync(cancellationToken);
        var passed = crossing.Where(c => cursor is { } seq && db.Entry(c.Click).Property<long>(LinkClickConfiguration.SeqColumn).CurrentValue <= seq).ToList();
        if (passed.Count == 0)
        {
            return;
        }

        var trackingIds = passed.Select(c => c.Click.TrackingId).Distinct().ToList();
        var links = await db.Links.AsNoTracking()
            .Where(l => trackingIds.Contains(l.TrackingId))
            .Select(l => new { l.TrackingId, l.LinkFunction, l.JobId, l.ApplicationId })
            .ToDictionaryAsync(l => l.TrackingId.Value, cancellationToken);
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var events = new List<WebhookEventDraft>(passed.Count);
        foreach (var (click, from) in passed)
        {
            var link = links[click.TrackingId.Value];
            events.Add(new WebhookEventDraft(WebhookEventTypes.ClickReclassified, link.JobId, link.ApplicationId, new ClickReclassifiedEventData(
                click.Id, from.Name(), click.BotCategory.Name(), ClickSignals.Split(click.Signals), click.TrackingId.Value, click.ClickedAt,
                link.LinkFunction, link.JobId, link.ApplicationId)));
        }

        var ids = passed.Select(c => c.Click.Id).ToList();
        foreach (var first in await db.WebhookFirstHumanClicks.Where(f => ids.Contains(f.ClickId)).ToListAsync(cancellationToken))
        {
            var human = passed.First(c => c.Click.Id == first.ClickId).Click.BotCategory == BotCategory.Human;
            first.WithdrawnAt = human ? null : now;
        }

        await new WebhookOutbox(db, timeProvider).AddAsync(events, cancellationToken);
    }
}
