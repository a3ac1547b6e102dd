using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Application.Common.Interfaces;
using Mediator;

namespace LinkTracking.Application.Webhooks.Queries.ListWebhookDeliveries;

/// <summary>The newest delivery attempts of a subscription (at most <see cref="MaxResults"/>), newest first.</summary>
public sealed record ListWebhookDeliveriesQuery(Guid WebhookId) : IQuery<IReadOnlyList<WebhookDeliveryDto>>
{
    public const int MaxResults = 200;
}

public sealed class ListWebhookDeliveriesQueryHandler(IWebhookSubscriptionStore store) : IQueryHandler<ListWebhookDeliveriesQuery, IReadOnlyList<WebhookDeliveryDto>>
{
    public async ValueTask<IReadOnlyList<WebhookDeliveryDto>> Handle(ListWebhookDeliveriesQuery query, CancellationToken cancellationToken)
    {
        _ = await store.FindAsync(query.WebhookId, cancellationToken) ?? throw NotFoundException.For("Webhook", query.WebhookId);
        return await store.ListDeliveriesAsync(query.WebhookId, ListWebhookDeliveriesQuery.MaxResults, cancellationToken);
    }
}
