using LinkTracking.Infrastructure.Clicks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LinkTracking.WebApi.Health;

/// <summary>
/// The click queue: degraded while the database is unreachable, while clicks pile up in the spool (with the journal
/// some spooled clicks are normal: they are on their way to the database), while the spool is over its disk budget
/// (partner clicks are refused), or while the queue is nearly full.
/// Redirects keep working either way, so it never makes the service unhealthy on its own.
/// </summary>
public sealed class ClickPipelineHealthCheck(ClickRecorder pipeline) : IHealthCheck
{
    /// <summary>With the journal, more than this in the spool (about 300 000 clicks) means the mover is falling behind.</summary>
    public const long JournalBacklogBytes = 32L * 1024 * 1024;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = pipeline.Status;
        var data = new Dictionary<string, object>
        {
            ["queue_depth"] = status.QueueDepth,
            ["queue_capacity"] = status.QueueCapacity,
            ["spool_bytes"] = status.SpoolBytes,
            ["database_available"] = status.DatabaseAvailable,
            ["max_spool_bytes"] = status.MaxSpoolBytes,
            ["backlog_age_seconds"] = Math.Round(status.BacklogAge.TotalSeconds, 1),
        };

        var journal = pipeline.Durability == ClickDurability.Journal;
        var backlog = journal ? JournalBacklogBytes : 0;
        var result = status switch
        {
            { OverDiskBudget: true } => HealthCheckResult.Degraded(
                $"The click spool is over its disk budget ({status.SpoolBytes} of {status.MaxSpoolBytes} bytes): partner clicks are refused with 503 until the database catches up; redirects still record.",
                data: data),
            { DatabaseAvailable: false } => HealthCheckResult.Degraded("The database is unreachable; clicks are kept on local disk until it is back.", data: data),
            _ when status.SpoolBytes > backlog => HealthCheckResult.Degraded("Clicks are waiting on local disk for the database to take them.", data: data),
            _ when status.QueueDepth > status.QueueCapacity * 0.9 => HealthCheckResult.Degraded("The click queue is nearly full.", data: data),
            _ when journal => HealthCheckResult.Healthy("Clicks are journalled as they arrive and copied into the database.", data),
            _ => HealthCheckResult.Healthy("Clicks are committed as they arrive.", data),
        };
        return Task.FromResult(result);
    }
}
