namespace LinkTracking.Infrastructure.Streaming;

/// <summary>
/// Where the click stream goes (ADR 0024): NATS JetStream here (<see cref="NatsClickStreamSink"/>); a Kafka producer
/// would be another implementation behind the same outbox and cursor. The publisher hands messages over in order and
/// moves its cursor only after <see cref="PublishAsync"/> returned for each, so a sink must return only once the
/// message is durably accepted, and must tolerate a message handed over again (by its <see cref="ClickStreamMessage.Id"/>).
/// </summary>
public interface IClickStreamSink
{
    /// <summary>The cursor row of this sink in <c>click_stream_cursors</c>.</summary>
    string Name { get; }

    /// <summary>Connects and makes sure the destination exists (the JetStream stream); cheap once done.</summary>
    Task EnsureReadyAsync(CancellationToken cancellationToken);

    /// <summary>Publishes one message and waits for the destination's acknowledgement; throws when it is not given.</summary>
    Task PublishAsync(ClickStreamMessage message, CancellationToken cancellationToken);
}
