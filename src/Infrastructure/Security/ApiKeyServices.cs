using LinkTracking.Application.Common.Interfaces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using LinkTracking.Infrastructure.Caching;
using StackExchange.Redis;

namespace LinkTracking.Infrastructure.Security;

/// <summary><see cref="IApiKeySecrets"/> over <see cref="ApiKeySecrets"/>.</summary>
public sealed class ApiKeySecretsService : IApiKeySecrets
{
    public string Generate() => ApiKeySecrets.Generate();

    public string Hash(string secret) => ApiKeySecrets.Hash(secret);

    public string DisplayPrefix(string secret) => ApiKeySecrets.DisplayPrefix(secret);
}

/// <summary>One instance: forgetting the key here is enough.</summary>
public sealed class InProcessApiKeyRevocations(ApiKeyAuthenticator authenticator) : IApiKeyRevocations
{
    public ValueTask PublishRevokedAsync(string keyHash, CancellationToken cancellationToken)
    {
        authenticator.Forget(keyHash);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Several instances: forget here, and tell the others over Redis pub/sub.</summary>
public sealed partial class RedisApiKeyRevocations(IConnectionMultiplexer redis, IServiceProvider services, ILogger<RedisApiKeyRevocations> logger)
    : IApiKeyRevocations, IHostedService, IDisposable
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("linktracking:apikeys:revoked");

    private readonly SubscriptionLifetime _lifetime = new();

    public async ValueTask PublishRevokedAsync(string keyHash, CancellationToken cancellationToken)
    {
        services.GetRequiredService<ApiKeyAuthenticator>().Forget(keyHash);
        await redis.GetSubscriber().PublishAsync(Channel, keyHash);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var authenticator = services.GetRequiredService<ApiKeyAuthenticator>();
        await RedisSubscription.StartAsync(
            redis.GetSubscriber(),
            Channel,
            message =>
            {
                try
                {
                    authenticator.Forget(message.Message.ToString());
                }
                catch (Exception ex)
                {
                    LogForgetFailed(ex);
                }
            },
            authenticator.ForgetAll,
            logger,
            _lifetime.Stopping);
    }

    public Task StopAsync(CancellationToken cancellationToken) => _lifetime.StopAsync(redis.GetSubscriber(), Channel, logger);

    public void Dispose() => _lifetime.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not forget a revoked API key")]
    private partial void LogForgetFailed(Exception exception);
}
