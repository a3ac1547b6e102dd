using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Retention;

/// <summary>
/// At start-up and every <c>Retention:MaintenanceInterval</c>: prepares the raw click storage ahead (on PostgreSQL the
/// partitions of the current month and <c>Retention:PartitionMonthsAhead</c> more) and, when
/// <c>Retention:RawClickDays</c> is set, removes raw clicks older than that. Every instance runs it; the storage keeps
/// concurrent runs safe.
/// </summary>
public sealed partial class RawClickMaintenanceJob(
    IServiceScopeFactory scopes,
    IOptions<RetentionOptions> options,
    TimeProvider timeProvider,
    ILogger<RawClickMaintenanceJob> logger) : BackgroundService
{
    /// <summary>Runs one pass; returns what retention removed (nothing when it is off).</summary>
    public async Task<RetentionResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = timeProvider.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var storage = scope.ServiceProvider.GetRequiredService<IRawClickStorage>();
        await storage.PrepareAsync(now, settings.PartitionMonthsAhead, cancellationToken);
        if (settings.RawClickDays is not { } days)
        {
            return new RetentionResult(0, 0);
        }

        var result = await storage.RemoveOlderThanAsync(now.AddDays(-days), cancellationToken);
        if (result.PartitionsDropped > 0 || result.RowsDeleted > 0)
        {
            LogRemoved(result.PartitionsDropped, result.RowsDeleted, days);
        }

        return result;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(options.Value.MaintenanceInterval, timeProvider, RunOnceAsync, LogFailed, stoppingToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Raw click retention removed {Partitions} partitions and {Rows} rows older than {Days} days")]
    private partial void LogRemoved(int partitions, long rows, int days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Raw click maintenance (partitions, retention) failed; retrying at the next interval")]
    private partial void LogFailed(Exception exception);
}
