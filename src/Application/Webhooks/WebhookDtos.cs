using LinkTracking.Domain.Webhooks;

namespace LinkTracking.Application.Webhooks;

/// <summary>A subscription without its secret.</summary>
public sealed record WebhookDto(
    Guid Id,
    string Url,
    IReadOnlyList<string> Events,
    Guid? JobId,
    Guid? ApplicationId,
    DateTime CreatedAt,
    bool IsActive,
    DateTime? DisabledAt,
    string? DisabledReason)
{
    public static WebhookDto From(WebhookSubscription s) =>
        new(s.Id, s.Url, s.EventList, s.JobId, s.ApplicationId, s.CreatedAt, s.IsActive, s.DisabledAt, s.DisabledReason);
}

/// <summary>A new subscription; <see cref="Secret"/> (<c>whsec_…</c>) is shown this once only.</summary>
public sealed record CreatedWebhookDto(
    Guid Id,
    string Url,
    IReadOnlyList<string> Events,
    Guid? JobId,
    Guid? ApplicationId,
    DateTime CreatedAt,
    string Secret);

/// <summary>
/// One delivery attempt of an event: <see cref="EventId"/> is the <c>webhook-id</c> header, the same on every retry;
/// <see cref="Outcome"/> is <c>delivered</c>, <c>failed</c> (will be retried) or <c>gave_up</c>.
/// </summary>
public sealed record WebhookDeliveryDto(
    Guid Id,
    string EventId,
    string EventType,
    int Attempt,
    DateTime AttemptedAt,
    string Outcome,
    int? StatusCode,
    string? Error,
    int DurationMs);
