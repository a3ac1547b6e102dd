using LinkTracking.Infrastructure.Persistence;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>
/// Migrations and the bootstrap key at start-up, without making the database a condition of starting: when it cannot
/// be reached, the node starts anyway — cached redirects are served (Redis), clicks are spooled, <c>/health/ready</c>
/// answers 503 — and the initialisation is tried again every <see cref="RetryInterval"/> until it succeeds.
/// </summary>
public sealed partial class DatabaseStartup(IServiceProvider services, TimeProvider time, ILogger<DatabaseStartup> logger) : BackgroundService, IHealthCheck
{
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    private volatile bool _initialised;

    /// <summary>Initialises the database; false (logged) when it cannot be reached. Any other failure is thrown.</summary>
    public async Task<bool> TryInitialiseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await services.InitialiseDatabaseAsync(cancellationToken);
            _initialised = true;
            return true;
        }
        catch (Exception ex) when (DatabaseUnreachable.Is(ex) && !cancellationToken.IsCancellationRequested)
        {
            LogUnreachable(ex, RetryInterval);
            return false;
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_initialised
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The database could not be reached at start-up; migrations are retried every 5 s."));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!_initialised && !stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(RetryInterval, time, stoppingToken);
            if (await TryInitialiseAsync(stoppingToken))
            {
                LogInitialised();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database cannot be reached at start-up; the node serves what it can, reports not ready and retries in {Interval}")]
    private partial void LogUnreachable(Exception exception, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Information, Message = "The database is reachable again: migrations and the bootstrap key are in place")]
    private partial void LogInitialised();
}
