using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Privacy;

/// <summary>
/// Anonymises client IPs of clicks older than <c>Privacy:IpRetentionDays</c>, in batches, every
/// <c>Privacy:AnonymisationInterval</c> (default one hour) of the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class IpAnonymisationJob(
    IServiceScopeFactory scopes,
    IOptions<PrivacyOptions> options,
    TimeProvider timeProvider,
    ILogger<IpAnonymisationJob> logger) : BackgroundService
{
    public const int BatchSize = 1000;

    /// <summary>Runs one pass: every old click, a batch at a time. Returns how many addresses changed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var before = timeProvider.GetUtcNow().UtcDateTime.AddDays(-options.Value.IpRetentionDays);
        var total = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var anonymiser = scope.ServiceProvider.GetRequiredService<IIpAnonymiser>();
            var changed = await anonymiser.AnonymiseIpsAsync(before, BatchSize, cancellationToken);
            total += changed;
            if (changed < BatchSize)
            {
                break;
            }
        }

        if (total > 0)
        {
            LogAnonymised(total, options.Value.IpRetentionDays);
        }

        return total;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(options.Value.AnonymisationInterval, timeProvider, RunOnceAsync, LogFailed, stoppingToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Anonymised the IP addresses of {Count} clicks older than {Days} days")]
    private partial void LogAnonymised(int count, int days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "IP anonymisation failed; retrying at the next interval")]
    private partial void LogFailed(Exception exception);
}
