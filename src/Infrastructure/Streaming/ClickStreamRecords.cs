namespace LinkTracking.Infrastructure.Streaming;

/// <summary>
/// A sink's position in the click stream (<c>click_stream_cursors</c>, ADR 0024): every stored click numbered up to
/// <see cref="Seq"/> (<c>link_clicks.seq</c>) is acknowledged by the sink. One node at a time publishes: the one whose
/// <see cref="LeaseOwner"/> holds the row until <see cref="LeaseUntil"/>.
/// </summary>
public sealed class ClickStreamCursor
{
    public const int MaxNameLength = 50;
    public const int MaxLeaseOwnerLength = 100;

    public string Name { get; set; } = null!;

    public long Seq { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTime? LeaseUntil { get; set; }
}

/// <summary>
/// A reclassification waiting to be streamed (<c>click_stream_outbox</c>), added in the transaction that saves it and
/// deleted once the sink acknowledged it. <see cref="Body"/> is the message as of the change.
/// </summary>
public sealed class ClickStreamOutboxMessage
{
    public long Id { get; set; }

    public Guid ClickId { get; set; }

    /// <summary>The click's <c>link_clicks.seq</c>: the message waits until the click itself has been streamed.</summary>
    public long ClickSeq { get; set; }

    public string TrackingId { get; set; } = null!;

    /// <summary>The category after the change (the subject's last token).</summary>
    public string BotCategory { get; set; } = null!;

    public string Body { get; set; } = null!;

    public DateTime CreatedAt { get; set; }
}
