using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LinkTracking.Infrastructure.Caching;

/// <summary>Tells every instance that a link changed, so each drops its cached copy.</summary>
public interface ILinkInvalidationBus
{
    ValueTask PublishAsync(string trackingId, CancellationToken cancellationToken);
}

/// <summary>One instance: nobody else to tell.</summary>
public sealed class InProcessLinkInvalidationBus : ILinkInvalidationBus
{
    public ValueTask PublishAsync(string trackingId, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

/// <summary>Several instances: a Redis pub/sub channel; every instance subscribes and drops what it hears.</summary>
public sealed partial class RedisLinkInvalidationBus(IConnectionMultiplexer redis, IServiceProvider services, ILogger<RedisLinkInvalidationBus> logger)
    : ILinkInvalidationBus, IHostedService, IDisposable
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("linktracking:links:invalidate");

    private readonly SubscriptionLifetime _lifetime = new();

    public async ValueTask PublishAsync(string trackingId, CancellationToken cancellationToken) =>
        await redis.GetSubscriber().PublishAsync(Channel, trackingId);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var cache = services.GetRequiredService<HybridLinkCache>();
        await RedisSubscription.StartAsync(
            redis.GetSubscriber(),
            Channel,
            message => _ = DropAsync(cache, message.Message.ToString()),
            () => _ = DropAllAsync(cache),
            logger,
            _lifetime.Stopping);
    }

    /// <summary>After a reconnect: a change published meanwhile was not heard, so every cached link is loaded again.</summary>
    private async Task DropAllAsync(HybridLinkCache cache)
    {
        try
        {
            await cache.RemoveAllLocalAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogInvalidationFailed(ex, "*");
        }
    }

    private async Task DropAsync(HybridLinkCache cache, string trackingId)
    {
        try
        {
            await cache.RemoveLocalAsync(trackingId, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogInvalidationFailed(ex, trackingId);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => _lifetime.StopAsync(redis.GetSubscriber(), Channel, logger);

    public void Dispose() => _lifetime.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not drop cached link {TrackingId}")]
    private partial void LogInvalidationFailed(Exception exception, string trackingId);
}
