using LinkTracking.Application.Common.Interfaces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LinkTracking.Infrastructure.Security;

/// <summary>
/// Deletes the dashboard sessions that have ended (idle or past their absolute lifetime) every <see cref="Interval"/>
/// of the injected <see cref="TimeProvider"/>. An ended session is refused whether or not its row is still there: this
/// only keeps the table small.
/// </summary>
public sealed partial class DashboardSessionCleanupJob(
    IServiceScopeFactory scopes,
    TimeProvider timeProvider,
    ILogger<DashboardSessionCleanupJob> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>Runs one pass. Returns how many sessions were deleted.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var deleted = await scope.ServiceProvider.GetRequiredService<IDashboardSessionStore>()
            .DeleteEndedAsync(timeProvider.GetUtcNow().UtcDateTime, cancellationToken);
        if (deleted > 0)
        {
            LogDeleted(deleted);
        }

        return deleted;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(Interval, timeProvider, RunOnceAsync, LogFailed, stoppingToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} ended dashboard sessions")]
    private partial void LogDeleted(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting ended dashboard sessions failed; retrying at the next interval")]
    private partial void LogFailed(Exception exception);
}
