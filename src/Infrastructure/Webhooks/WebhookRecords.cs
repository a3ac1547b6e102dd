namespace LinkTracking.Infrastructure.Webhooks;

/// <summary>Status of an outbox row.</summary>
public static class WebhookOutboxStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}

/// <summary>
/// One event for one subscription (<c>webhook_outbox</c>), written in the transaction of the change that caused it.
/// <see cref="EventId"/> is the <c>webhook-id</c>: the same on every retry and redelivery, and for every subscription
/// that gets the event. A worker owns the row while <see cref="LeaseUntil"/> is in the future.
/// </summary>
public sealed class WebhookOutboxMessage
{
    public const int MaxEventIdLength = 40;
    public const int MaxLeaseOwnerLength = 100;

    public Guid Id { get; set; }

    public string EventId { get; set; } = null!;

    public Guid SubscriptionId { get; set; }

    public string Type { get; set; } = null!;

    /// <summary>The exact body that is signed and sent.</summary>
    public string Payload { get; set; } = null!;

    public DateTime CreatedAt { get; set; }

    public DateTime NextAttemptAt { get; set; }

    public DateTime? LeaseUntil { get; set; }

    public string? LeaseOwner { get; set; }

    public int Attempts { get; set; }

    public string Status { get; set; } = WebhookOutboxStatus.Pending;

    public DateTime? CompletedAt { get; set; }
}

/// <summary>The delivery log (<c>webhook_deliveries</c>): one row per attempt.</summary>
public sealed class WebhookDeliveryAttempt
{
    public const int MaxErrorLength = 1000;

    public Guid Id { get; set; }

    public Guid OutboxId { get; set; }

    public Guid SubscriptionId { get; set; }

    public string EventId { get; set; } = null!;

    public string EventType { get; set; } = null!;

    public int Attempt { get; set; }

    public DateTime AttemptedAt { get; set; }

    /// <summary><c>delivered</c>, <c>failed</c> (retried later) or <c>gave_up</c>.</summary>
    public string Outcome { get; set; } = null!;

    public int? StatusCode { get; set; }

    public string? Error { get; set; }

    public int DurationMs { get; set; }
}

/// <summary>
/// A persisted position of a background scan (<c>webhook_cursors</c>). The settler's: <see cref="Seq"/>, the last
/// click number (<c>link_clicks.seq</c>) it has passed, and <see cref="Position"/>, the instant it started (clicks
/// that happened before it are history and not announced).
/// </summary>
public sealed class WebhookCursor
{
    public string Name { get; set; } = null!;

    public DateTime Position { get; set; }

    /// <summary>Null on a cursor written before clicks were announced by number (until the settler converts it).</summary>
    public long? Seq { get; set; }
}

/// <summary>
/// Applications whose first human click was announced (or happened before webhooks): once per application — unless
/// that click is withdrawn (reclassified as a bot, <see cref="WithdrawnAt"/>); then the next human click announced is
/// the application's first again.
/// </summary>
public sealed class WebhookFirstHumanClick
{
    public Guid ApplicationId { get; set; }

    public Guid ClickId { get; set; }

    public DateTime ClickedAt { get; set; }

    /// <summary>When <see cref="ClickId"/> was reclassified as a bot's; null while it counts as a person's.</summary>
    public DateTime? WithdrawnAt { get; set; }
}

/// <summary>
/// One episode of an alert condition (<c>webhook_alert_episodes</c>): raised once, announced once, until the condition
/// clears; a later occurrence re-opens it and is announced again. The key names the alert and its subject
/// (<c>alert.click_spike:{tracking_id}</c>, <c>alert.scanner_only:{application_id}</c>,
/// <c>alert.pipeline_backlog:{node}</c>), so two nodes evaluating at once cannot both open it.
/// </summary>
public sealed class WebhookAlertEpisode
{
    public const int MaxKeyLength = 200;

    public string Key { get; set; } = null!;

    public string Type { get; set; } = null!;

    public DateTime RaisedAt { get; set; }

    /// <summary>When the condition was last seen gone; null while the episode is open.</summary>
    public DateTime? ClearedAt { get; set; }
}
