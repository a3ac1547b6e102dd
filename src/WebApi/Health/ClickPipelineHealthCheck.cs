using LinkTracking.Infrastructure.Clicks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LinkTracking.WebApi.Health;

/// <summary>
/// The click queue: degraded while clicks wait in the spool (the database was unreachable) or the queue is
/// nearly full; redirects keep working either way, so it never makes the service unhealthy on its own.
/// </summary>
public sealed class ClickPipelineHealthCheck(ClickPipeline pipeline) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = pipeline.Status;
        var data = new Dictionary<string, object>
        {
            ["queue_depth"] = status.QueueDepth,
            ["queue_capacity"] = status.QueueCapacity,
            ["spool_bytes"] = status.SpoolBytes,
            ["database_available"] = status.DatabaseAvailable,
        };

        var result = status switch
        {
            { SpoolBytes: > 0 } => HealthCheckResult.Degraded("Clicks are spooled on local disk until the database takes them.", data: data),
            _ when status.QueueDepth > status.QueueCapacity * 0.9 => HealthCheckResult.Degraded("The click queue is nearly full.", data: data),
            _ => HealthCheckResult.Healthy("Clicks are committed as they arrive.", data),
        };
        return Task.FromResult(result);
    }
}
