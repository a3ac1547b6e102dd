using System.Text.Json;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.Webhooks;

/// <summary>
/// Adds one outbox row per event and subscription that wants it to the request's DbContext; the caller's
/// SaveChanges commits them with the change (ADR 0016). No subscription, no row.
/// </summary>
public sealed class WebhookOutbox(LinkTrackingDbContext db, TimeProvider timeProvider) : IWebhookOutbox
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public async Task AddAsync(IReadOnlyList<WebhookEventDraft> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        var subscriptions = await db.WebhookSubscriptions.AsNoTracking().Where(s => s.IsActive).ToListAsync(cancellationToken);
        var now = timeProvider.GetUtcNow().UtcDateTime;
        foreach (var draft in events)
        {
            var targets = subscriptions.Where(s => s.Wants(draft.Type, draft.JobId, draft.ApplicationId)).ToList();
            if (targets.Count == 0)
            {
                continue;
            }

            var eventId = NewEventId(now);
            var payload = Payload(draft, now);
            foreach (var subscription in targets)
            {
                db.WebhookOutbox.Add(NewMessage(eventId, subscription.Id, draft.Type, payload, now));
            }
        }
    }

    /// <summary>The body: <c>{"type": …, "timestamp": …, "data": {…}}</c> (Standard Webhooks' recommended shape).</summary>
    public static string Payload(WebhookEventDraft draft, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return JsonSerializer.Serialize(new { type = draft.Type, timestamp = now, data = draft.Data }, Json);
    }

    public static string NewEventId(DateTime now) => "evt_" + Guid.CreateVersion7(now).ToString("N");

    public static WebhookOutboxMessage NewMessage(string eventId, Guid subscriptionId, string type, string payload, DateTime now) => new()
    {
        Id = Guid.CreateVersion7(now),
        EventId = eventId,
        SubscriptionId = subscriptionId,
        Type = type,
        Payload = payload,
        CreatedAt = now,
        NextAttemptAt = now,
        Status = WebhookOutboxStatus.Pending,
    };
}
