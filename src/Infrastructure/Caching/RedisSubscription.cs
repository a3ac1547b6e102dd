using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LinkTracking.Infrastructure.Caching;

/// <summary>
/// Subscribes to a Redis channel without making Redis a condition of starting: the first attempt is awaited briefly,
/// and while Redis cannot be reached the subscription is retried in the background (the node runs on its per-node
/// fallbacks meanwhile). Once made, the multiplexer keeps it across reconnects; but what was published while this
/// node's connection was down is lost, so <c>onReconnected</c> runs each time a connection comes back (the caller
/// forgets what such a message could have changed).
/// </summary>
internal static partial class RedisSubscription
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(2);

    /// <summary>Starts subscribing; returns once subscribed or once the first attempt failed (then retries until <paramref name="stopping"/>).</summary>
    public static async Task StartAsync(
        ISubscriber subscriber, RedisChannel channel, Action<ChannelMessage> handler, Action onReconnected, ILogger logger, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        // Either connection: with RESP3 the subscriptions share the interactive one.
        subscriber.Multiplexer.ConnectionRestored += (_, _) => onReconnected();

        if (await TrySubscribeAsync(subscriber, channel, handler, logger))
        {
            return;
        }

        _ = Task.Run(
            async () =>
            {
                while (!stopping.IsCancellationRequested)
                {
                    await Task.Delay(RetryInterval, stopping).ConfigureAwait(false);
                    if (await TrySubscribeAsync(subscriber, channel, handler, logger))
                    {
                        return;
                    }
                }
            },
            CancellationToken.None);
    }

    /// <summary>
    /// Unsubscribes on the way out. A node stopping while Redis cannot be reached (or while its connection is being
    /// re-made) stops anyway: the subscription dies with the connection.
    /// </summary>
    public static async Task StopAsync(ISubscriber subscriber, RedisChannel channel, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        try
        {
            await subscriber.UnsubscribeAsync(channel);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            LogUnsubscribeFailed(logger, ex, channel.ToString());
        }
    }

    private static async Task<bool> TrySubscribeAsync(ISubscriber subscriber, RedisChannel channel, Action<ChannelMessage> handler, ILogger logger)
    {
        try
        {
            (await subscriber.SubscribeAsync(channel)).OnMessage(handler);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogUnreachable(logger, ex, channel.ToString());
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not unsubscribe from {Channel} while stopping; the subscription ends with the connection")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Exception exception, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis cannot be reached to subscribe to {Channel}; this node runs on its own until it can, retrying")]
    private static partial void LogUnreachable(ILogger logger, Exception exception, string channel);
}

/// <summary>
/// The stopping token of a hosted service that holds a subscription (<see cref="RedisSubscription"/>): stopped once,
/// disposed once, though the container knows the service under two registrations and may dispose it twice, and a
/// stop after disposal does nothing.
/// </summary>
internal sealed class SubscriptionLifetime : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;

    public CancellationToken Stopping => _stopping.Token;

    public async Task StopAsync(ISubscriber subscriber, RedisChannel channel, ILogger logger)
    {
        if (Volatile.Read(ref _disposed) == 0 && !_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
            await RedisSubscription.StopAsync(subscriber, channel, logger);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Cancel();
            _stopping.Dispose();
        }
    }
}
