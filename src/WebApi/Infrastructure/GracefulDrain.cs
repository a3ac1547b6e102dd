using FluentValidation;
using LinkTracking.Application.Common.Options;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>Configuration section <c>Lifecycle</c>: how a node leaves a load balancer when it is told to stop.</summary>
public sealed class LifecycleOptions
{
    public const string SectionName = "Lifecycle";

    /// <summary>
    /// After SIGTERM, how long the node keeps serving while <c>/health/ready</c> answers 503, so that the balancer
    /// (which checks every few hundred milliseconds) stops sending before the listener closes. 0 stops at once.
    /// </summary>
    [NonNegativeDuration("00:05:00", ErrorMessage = "Lifecycle:DrainDelay is between 0 and {2}.")]
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The host's whole shutdown budget (<c>HostOptions.ShutdownTimeout</c>): the drain delay, then in-flight
    /// requests, then the click pipeline's last fsync and the spool's copy into the database.
    /// </summary>
    [PositiveDuration("1.00:00:00", ErrorMessage = "Lifecycle:ShutdownTimeout must be longer than zero and at most {2}.")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Checks <see cref="LifecycleOptions"/> at start-up (source-generated from the data annotations).</summary>
[OptionsValidator]
public sealed partial class LifecycleOptionsValidator : IValidateOptions<LifecycleOptions>;

/// <summary>The <c>Lifecycle</c> rule that spans fields: the drain is part of the shutdown budget.</summary>
public sealed class LifecycleOptionsRules : AbstractValidator<LifecycleOptions>
{
    public LifecycleOptionsRules() =>
        RuleFor(o => o.ShutdownTimeout)
            .GreaterThan(o => o.DrainDelay)
            .WithMessage("Lifecycle:ShutdownTimeout is longer than Lifecycle:DrainDelay (the drain is part of it).");
}

/// <summary>
/// Graceful drain. On stop (SIGTERM, <see cref="IHostApplicationLifetime.StopApplication"/>) this service, a
/// lifecycle service whose <see cref="StoppingAsync"/> runs before any hosted service stops, marks the node as
/// draining, which turns <c>/health/ready</c> to 503 and asks keep-alive clients to close their connections, and
/// then waits <see cref="LifecycleOptions.DrainDelay"/> while the server still serves. Only then does the host stop
/// the server (which lets in-flight requests finish), the click recorder (last journal fsync) and the spool mover
/// (copies the spool into the database).
/// </summary>
public sealed partial class GracefulDrain(IOptions<LifecycleOptions> options, ILogger<GracefulDrain> logger) : IHostedLifecycleService
{
    private volatile bool _draining;

    /// <summary>True from the stop signal on.</summary>
    public bool Draining => _draining;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        var delay = options.Value.DrainDelay;
        LogDraining(delay.TotalSeconds);
        if (delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(delay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The shutdown budget ran out: stop now.
            }
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping: readiness answers 503; serving for {Seconds} s more before closing the listener")]
    private partial void LogDraining(double seconds);
}

/// <summary>Readiness check: unhealthy while the node drains, whatever its dependencies say.</summary>
public sealed class DrainHealthCheck(GracefulDrain drain) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(drain.Draining
            ? HealthCheckResult.Unhealthy("The node is stopping: it finishes what it has and takes no new traffic.")
            : HealthCheckResult.Healthy("Serving."));
}

public static class GracefulDrainRegistration
{
    /// <summary>The drain service, its readiness check (tagged <paramref name="readyTag"/>) and the host's shutdown budget.</summary>
    public static IServiceCollection AddGracefulDrain(this IServiceCollection services, IConfiguration configuration, IHealthChecksBuilder health, string readyTag)
    {
        services.AddValidatedOptions<LifecycleOptions, LifecycleOptionsValidator>(configuration.GetSection(LifecycleOptions.SectionName))
            .WithRulesAcrossFields<LifecycleOptions, LifecycleOptionsRules>();
        services.AddOptions<HostOptions>().Configure<IOptions<LifecycleOptions>>((host, lifecycle) => host.ShutdownTimeout = lifecycle.Value.ShutdownTimeout);
        services.AddSingleton<GracefulDrain>();
        services.AddHostedService(sp => sp.GetRequiredService<GracefulDrain>());
        health.AddCheck<DrainHealthCheck>("drain", tags: [readyTag]);
        return services;
    }

    /// <summary>While draining, every response asks the client (the balancer) to close its connection.</summary>
    public static IApplicationBuilder UseConnectionCloseWhileDraining(this IApplicationBuilder app)
    {
        var drain = app.ApplicationServices.GetRequiredService<GracefulDrain>();
        return app.Use((context, next) =>
        {
            if (drain.Draining)
            {
                context.Response.Headers.Connection = "close";
            }

            return next(context);
        });
    }
}
