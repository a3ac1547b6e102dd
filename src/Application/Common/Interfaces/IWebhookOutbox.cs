namespace LinkTracking.Application.Common.Interfaces;

/// <summary>An event to send to the webhook subscriptions that want it; <see cref="Data"/> is serialised as snake_case JSON.</summary>
public sealed record WebhookEventDraft(string Type, Guid? JobId, Guid? ApplicationId, object Data);

/// <summary>
/// The transactional outbox of webhook events (ADR 0016). <see cref="AddAsync"/> adds rows to the current unit of work
/// without saving: the event is committed with the change that caused it, or not at all.
/// </summary>
public interface IWebhookOutbox
{
    Task AddAsync(IReadOnlyList<WebhookEventDraft> events, CancellationToken cancellationToken);
}
