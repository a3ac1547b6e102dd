using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Application.Common.Interfaces;
using Mediator;

namespace LinkTracking.Application.Webhooks.Commands.RedeliverWebhook;

/// <summary>Sends the event of a logged delivery again, with the same <c>webhook-id</c>, as soon as a worker is free.</summary>
public sealed record RedeliverWebhookCommand(Guid WebhookId, Guid DeliveryId) : ICommand;

public sealed class RedeliverWebhookCommandHandler(IWebhookSubscriptionStore store, TimeProvider timeProvider) : ICommandHandler<RedeliverWebhookCommand>
{
    public async ValueTask<Unit> Handle(RedeliverWebhookCommand command, CancellationToken cancellationToken)
    {
        _ = await store.FindAsync(command.WebhookId, cancellationToken) ?? throw NotFoundException.For("Webhook", command.WebhookId);
        if (!await store.RedeliverAsync(command.WebhookId, command.DeliveryId, timeProvider.GetUtcNow().UtcDateTime, cancellationToken))
        {
            throw NotFoundException.For("Delivery", command.DeliveryId);
        }

        return Unit.Value;
    }
}
