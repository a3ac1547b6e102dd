using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace LinkTracking.WebApi.Health;

/// <summary>The link cache: in process always; Redis when configured, then pinged.</summary>
public sealed class CacheHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var redis = services.GetService<IConnectionMultiplexer>();
        if (redis is null)
        {
            return HealthCheckResult.Healthy("In-process cache (single instance).", new Dictionary<string, object> { ["mode"] = "in-process" });
        }

        try
        {
            var latency = await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy("Redis answers.", new Dictionary<string, object> { ["mode"] = "redis", ["latency_ms"] = latency.TotalMilliseconds });
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return HealthCheckResult.Degraded("Redis does not answer; each instance falls back to its own cache.", ex);
        }
    }
}
