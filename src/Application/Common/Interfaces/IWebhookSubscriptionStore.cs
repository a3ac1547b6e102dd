using LinkTracking.Application.Webhooks;
using LinkTracking.Domain.Webhooks;

namespace LinkTracking.Application.Common.Interfaces;

/// <summary>Persistence of webhook subscriptions and the reading of their delivery log.</summary>
public interface IWebhookSubscriptionStore
{
    void Add(WebhookSubscription subscription);

    Task<WebhookSubscription?> FindAsync(Guid id, CancellationToken cancellationToken);

    Task<IReadOnlyList<WebhookSubscription>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Deletes the subscription with its pending events and its log.</summary>
    Task DeleteAsync(WebhookSubscription subscription, CancellationToken cancellationToken);

    /// <summary>The newest <paramref name="limit"/> attempts, newest first.</summary>
    Task<IReadOnlyList<WebhookDeliveryDto>> ListDeliveriesAsync(Guid subscriptionId, int limit, CancellationToken cancellationToken);

    /// <summary>Queues the event of that logged attempt again (same <c>webhook-id</c>); false when no such attempt.</summary>
    Task<bool> RedeliverAsync(Guid subscriptionId, Guid deliveryId, DateTime now, CancellationToken cancellationToken);
}

/// <summary>Generates <c>whsec_…</c> signing secrets and protects them for storage.</summary>
public interface IWebhookSecrets
{
    string Generate();

    string Protect(string secret);
}
