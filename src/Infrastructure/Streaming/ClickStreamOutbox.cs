using LinkTracking.Infrastructure.Clicks;
using LinkTracking.Infrastructure.Persistence;
using LinkTracking.Infrastructure.Persistence.Configurations;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.Streaming;

/// <summary>
/// Adds a row to <c>click_stream_outbox</c> for every reclassification, in its transaction (ADR 0024): it is streamed
/// if and only if it is saved. Registered only when streaming is on.
/// </summary>
public sealed class ClickStreamOutbox(TimeProvider clock) : IClickReclassificationObserver
{
    public async Task OnReclassifiedAsync(LinkTrackingDbContext db, IReadOnlyList<ClickReclassified> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(changes);
        var now = clock.GetUtcNow().UtcDateTime;
        var seqs = changes.ToDictionary(c => c.Click.Id, c => db.Entry(c.Click).Property<long>(LinkClickConfiguration.SeqColumn).CurrentValue);
        var unknown = seqs.Where(s => s.Value == 0).Select(s => s.Key).ToList();
        if (unknown.Count > 0)
        {
            // Clicks the context did not load itself: their numbers from the table.
            foreach (var stored in await db.Clicks.AsNoTracking().Where(c => unknown.Contains(c.Id))
                         .Select(c => new { c.Id, Seq = EF.Property<long>(c, LinkClickConfiguration.SeqColumn) }).ToListAsync(cancellationToken))
            {
                seqs[stored.Id] = stored.Seq;
            }
        }

        foreach (var (click, from) in changes)
        {
            db.ClickStreamOutbox.Add(new ClickStreamOutboxMessage
            {
                ClickId = click.Id,
                ClickSeq = seqs[click.Id],
                TrackingId = click.TrackingId.Value,
                BotCategory = Domain.Clicks.BotCategories.Name(click.BotCategory),
                Body = ClickStreamMessages.ReclassifiedBody(click, seqs[click.Id], from, now),
                CreatedAt = now,
            });
        }
    }
}
