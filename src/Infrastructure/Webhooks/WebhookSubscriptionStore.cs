using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Webhooks;
using LinkTracking.Domain.Webhooks;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.Webhooks;

public sealed class WebhookSubscriptionStore(LinkTrackingDbContext db) : IWebhookSubscriptionStore
{
    public void Add(WebhookSubscription subscription) => db.WebhookSubscriptions.Add(subscription);

    public Task<WebhookSubscription?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.WebhookSubscriptions.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);

    public async Task<IReadOnlyList<WebhookSubscription>> ListAsync(CancellationToken cancellationToken) =>
        await db.WebhookSubscriptions.AsNoTracking().OrderBy(s => s.CreatedAt).Take(1000).ToListAsync(cancellationToken);

    public async Task DeleteAsync(WebhookSubscription subscription, CancellationToken cancellationToken)
    {
        // Rows are removed by the database (ON DELETE CASCADE), also those a worker holds: its completion finds nothing.
        db.WebhookSubscriptions.Remove(subscription);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<WebhookDeliveryDto>> ListDeliveriesAsync(Guid subscriptionId, int limit, CancellationToken cancellationToken) =>
        await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.SubscriptionId == subscriptionId)
            .OrderByDescending(d => d.AttemptedAt).ThenByDescending(d => d.Attempt)
            .Take(limit)
            .Select(d => new WebhookDeliveryDto(d.Id, d.EventId, d.EventType, d.Attempt, d.AttemptedAt, d.Outcome, d.StatusCode, d.Error, d.DurationMs))
            .ToListAsync(cancellationToken);

    public async Task<bool> RedeliverAsync(Guid subscriptionId, Guid deliveryId, DateTime now, CancellationToken cancellationToken)
    {
        var original = await (from d in db.WebhookDeliveries
                              join m in db.WebhookOutbox on d.OutboxId equals m.Id
                              where d.Id == deliveryId && d.SubscriptionId == subscriptionId
                              select m).AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        if (original is null)
        {
            return false;
        }

        db.WebhookOutbox.Add(WebhookOutbox.NewMessage(original.EventId, subscriptionId, original.Type, original.Payload, now));
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
