using LinkTracking.Application.Common.Interfaces;
using Mediator;

namespace LinkTracking.Application.Webhooks.Queries.ListWebhooks;

/// <summary>Every subscription, without secrets.</summary>
public sealed record ListWebhooksQuery : IQuery<IReadOnlyList<WebhookDto>>;

public sealed class ListWebhooksQueryHandler(IWebhookSubscriptionStore store) : IQueryHandler<ListWebhooksQuery, IReadOnlyList<WebhookDto>>
{
    public async ValueTask<IReadOnlyList<WebhookDto>> Handle(ListWebhooksQuery query, CancellationToken cancellationToken) =>
        [.. (await store.ListAsync(cancellationToken)).Select(WebhookDto.From)];
}
