using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Application.Common.Interfaces;
using Mediator;

namespace LinkTracking.Application.Webhooks.Commands.DeleteWebhook;

/// <summary>Deletes a subscription: its pending events are dropped and nothing more is sent to it.</summary>
public sealed record DeleteWebhookCommand(Guid Id) : ICommand;

public sealed class DeleteWebhookCommandHandler(IWebhookSubscriptionStore store) : ICommandHandler<DeleteWebhookCommand>
{
    public async ValueTask<Unit> Handle(DeleteWebhookCommand command, CancellationToken cancellationToken)
    {
        var subscription = await store.FindAsync(command.Id, cancellationToken) ?? throw NotFoundException.For("Webhook", command.Id);
        await store.DeleteAsync(subscription, cancellationToken);
        return Unit.Value;
    }
}
