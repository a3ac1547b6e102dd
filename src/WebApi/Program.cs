using LinkTracking.Application;
using LinkTracking.Infrastructure;
using LinkTracking.WebApi;
using LinkTracking.WebApi.Dashboard;
using LinkTracking.WebApi.Health;
using LinkTracking.WebApi.Infrastructure;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Scalar.AspNetCore;

// One command tree (ServiceCommandLine): `serve` (the default), `api-keys`, `rollups`, `spool`, `migrate`; `--help` on each.
return await ServiceCommandLine.InvokeAsync(args, a => CreateBuilder(a).Configuration, BuildHost, ServeAsync);

// The content root is the binary's directory (appsettings.json, wwwroot), whatever directory the service is started
// from; relative data paths (./data/linktracking.db, ./data/spool) stay relative to the working directory.
static WebApplicationBuilder CreateBuilder(string[] args) =>
    WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

static WebApplication BuildHost(string[] args, bool isCommand)
{
    // The build output's static web assets manifest (absent from a publish, where wwwroot is copied) points at the
    // project's wwwroot.
    var builder = CreateBuilder(args);
    builder.WebHost.UseStaticWebAssets();
    builder.WebHost.ConfigureKestrel(k =>
    {
        k.AddServerHeader = false;
        // The largest route limit; RequestBodyLimitMiddleware applies each route's own (64 KiB but for record-clicks).
        k.Limits.MaxRequestBodySize = RequestLimits.MaxBatchBodyBytes;
        k.Limits.MaxRequestHeadersTotalSize = RequestLimits.MaxHeaderBytes;
        k.Limits.MaxRequestLineSize = RequestLimits.MaxRequestLineBytes;
    });

    if (isCommand)
    {
        // Command-line use: stdout carries only the answer; diagnostics go to stderr, warnings and up.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddFilter(category: null, LogLevel.Warning);
    }

    builder.Services
        .AddApplication(builder.Configuration)
        .AddInfrastructure(builder.Configuration)
        .AddWebApi(builder.Configuration);

    return builder.Build();
}

static async Task ServeAsync(WebApplication app)
{
    // The service starts without its database: not ready, cached redirects served, clicks spooled, retried in the background.
    await app.Services.GetRequiredService<DatabaseStartup>().TryInitialiseAsync(CancellationToken.None);

    app.UseConnectionCloseWhileDraining();
    app.UseBalancerRequestIds();
    app.UseForwardedHeaders();
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.UseMiddleware<UnsupportedApiVersionMiddleware>();
    // The dashboard's assets are files, not endpoints: served before unknown routes are answered 404 and before
    // authentication (the fallback policy would refuse them).
    app.UseDashboardSecurityHeaders();
    app.UseStaticFiles();
    app.UseNotFoundForUnknownRoutes();
    app.UseMiddleware<RequestBodyLimitMiddleware>();
    app.MapLinkTrackingMetrics();
    // Not for the redirect's hot path (anonymous, no form, no key to read): it goes from here to its rate limit.
    app.UseUnlessHotPath(secured =>
    {
        secured.UseAuthentication();
        secured.UseAuthorization();
        secured.UseAntiforgery();
    });
    app.UseRateLimiter();

    app.MapControllers().WithHotPathConventions();
    app.MapFrontDoor();
    app.MapRazorPages();
    app.MapHealthChecks("/track/health", new HealthCheckOptions { ResponseWriter = HealthResponseWriter.WriteAsync }).AllowAnonymous().WithMetadata(new HotPathAttribute());
    app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
    app.MapHealthChecks("/health/ready", new HealthCheckOptions
    {
        Predicate = check => check.Tags.Contains(LinkTracking.WebApi.DependencyInjection.ReadyTag),
        ResultStatusCodes = { [HealthStatus.Degraded] = StatusCodes.Status200OK },
    }).AllowAnonymous();
    app.MapOpenApi().AllowAnonymous();
    app.MapScalarApiReference().AllowAnonymous();

    await app.RunAsync();
}

/// <summary>The web host; public so that functional tests can start it with WebApplicationFactory.</summary>
public partial class Program;
