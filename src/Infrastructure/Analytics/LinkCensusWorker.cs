using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Analytics;

/// <summary>
/// PostgreSQL: folds the link census's changes (<see cref="PostgresLinkCensus"/>) every <c>Analytics:RollupInterval</c>,
/// so a read sums few of them; a node whose fold is already running elsewhere leaves them to it.
/// </summary>
public sealed partial class LinkCensusWorker(
    PostgresLinkCensus census, IOptions<AnalyticsOptions> options, ILogger<LinkCensusWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(options.Value.RollupInterval, TimeProvider.System, async ct => await census.FoldAsync(ct), LogFailed, stoppingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Folding the link census's changes failed; retrying at the next interval")]
    private partial void LogFailed(Exception exception);
}
