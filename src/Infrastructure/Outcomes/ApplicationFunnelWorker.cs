using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Outcomes;

/// <summary>
/// PostgreSQL: recomputes the applications whose funnel facts were marked (<see cref="PostgresApplicationFunnel"/>)
/// every <c>Analytics:RollupInterval</c>, so a report finds little or nothing left to do; a node whose refresh is
/// already running elsewhere leaves the marks to it.
/// </summary>
public sealed partial class ApplicationFunnelWorker(
    PostgresApplicationFunnel funnel, IOptions<Analytics.AnalyticsOptions> options, ILogger<ApplicationFunnelWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(options.Value.RollupInterval, TimeProvider.System, RefreshAsync, LogFailed, stoppingToken);

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var refreshed = await funnel.RefreshAsync(wait: false, cancellationToken);
        if (refreshed > 0)
        {
            LogRefreshed(refreshed);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Recomputed the funnel facts of {Applications} applications")]
    private partial void LogRefreshed(int applications);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recomputing the applications' funnel facts failed; retrying at the next interval")]
    private partial void LogFailed(Exception exception);
}
