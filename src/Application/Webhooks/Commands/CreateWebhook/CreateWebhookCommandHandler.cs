using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Webhooks;
using Mediator;

namespace LinkTracking.Application.Webhooks.Commands.CreateWebhook;

public sealed class CreateWebhookCommandHandler(IWebhookSubscriptionStore store, IWebhookSecrets secrets, IUnitOfWork unitOfWork, TimeProvider timeProvider)
    : ICommandHandler<CreateWebhookCommand, CreatedWebhookDto>
{
    public async ValueTask<CreatedWebhookDto> Handle(CreateWebhookCommand command, CancellationToken cancellationToken)
    {
        var secret = secrets.Generate();
        var subscription = WebhookSubscription.Create(
            command.Url!, command.Events!, command.JobId, command.ApplicationId, secrets.Protect(secret), timeProvider.GetUtcNow().UtcDateTime);
        store.Add(subscription);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return new CreatedWebhookDto(subscription.Id, subscription.Url, subscription.EventList, subscription.JobId, subscription.ApplicationId, subscription.CreatedAt, secret);
    }
}
