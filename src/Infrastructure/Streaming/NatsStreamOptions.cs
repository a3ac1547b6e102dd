namespace LinkTracking.Infrastructure.Streaming;

/// <summary>
/// <c>Streaming:Nats</c>: clicks streamed to NATS JetStream (ADR 0024). Off unless <see cref="Url"/> is set.
/// </summary>
public sealed class NatsStreamOptions
{
    public const string SectionName = "Streaming:Nats";

    /// <summary>The NATS server (<c>nats://host:4222</c>; several comma-separated); unset, nothing is streamed.</summary>
    public string? Url { get; set; }

    /// <summary>The JetStream stream, created at start-up when missing (subjects <c>linktracking.clicks.&gt;</c>).</summary>
    public string Stream { get; set; } = "LINKTRACKING_CLICKS";

    /// <summary>The stream's de-duplication window: a message id seen within it is stored once (default 2 minutes, the server's default).</summary>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Messages per round of the publisher (default 500).</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>The pause after a round that found nothing more to publish, or failed (default 1 s).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one message may wait for JetStream's acknowledgement before the round fails (default 5 s).</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a node's turn as the one publisher lasts without renewal (default 30 s; renewed every round).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether the first start publishes the clicks stored before streaming was switched on (default true); false starts
    /// at the clicks counted from then on.
    /// </summary>
    public bool PublishExisting { get; set; } = true;

    /// <summary>Whether streaming is on.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Url);

    /// <summary>The rules, as the start-up failure states them.</summary>
    public const string Rules =
        "Streaming:Nats: Stream must be a JetStream stream name (letters, digits, '-' and '_'), DuplicateWindow 1 second to 1 day, "
        + "BatchSize 1-10000, Interval 10 ms to 1 minute, PublishTimeout 100 ms to 1 minute, Lease at least 5 s and longer than "
        + "PublishTimeout * 2.";

    /// <summary>Whether every value is within <see cref="Rules"/>.</summary>
    public bool IsValid() =>
        !string.IsNullOrEmpty(Stream) && Stream.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
        && DuplicateWindow >= TimeSpan.FromSeconds(1) && DuplicateWindow <= TimeSpan.FromDays(1)
        && BatchSize is >= 1 and <= 10_000
        && Interval >= TimeSpan.FromMilliseconds(10) && Interval <= TimeSpan.FromMinutes(1)
        && PublishTimeout >= TimeSpan.FromMilliseconds(100) && PublishTimeout <= TimeSpan.FromMinutes(1)
        && Lease >= TimeSpan.FromSeconds(5) && Lease > PublishTimeout * 2;
}
