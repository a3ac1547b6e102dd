using LinkTracking.Application.Common.Options;
using LinkTracking.Infrastructure.Caching;
using LinkTracking.Infrastructure.Clicks;
using LinkTracking.Infrastructure.Telemetry;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>Configuration section <c>Telemetry</c>.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    [ValidateObjectMembers]
    public PrometheusOptions Prometheus { get; } = new();

    public sealed class PrometheusOptions
    {
        /// <summary>Serve <c>/metrics</c> in Prometheus text format. Off by default.</summary>
        public bool Enabled { get; set; }

        /// <summary>Networks (CIDR) whose requests get <c>/metrics</c> without a key; others need an <c>admin</c> key.</summary>
        [IpNetworks(ErrorMessage = "Telemetry:Prometheus:AllowedNetworks entries are CIDR ranges.")]
        public IList<string> AllowedNetworks { get; } = [];

        /// <summary>The allowed networks, loopback when none are configured.</summary>
        public IReadOnlyList<System.Net.IPNetwork> Networks() => AllowedNetworks.Count == 0
            ? [System.Net.IPNetwork.Parse("127.0.0.0/8"), System.Net.IPNetwork.Parse("::1/128")]
            : [.. AllowedNetworks.Select(n => System.Net.IPNetwork.Parse(n))];
    }
}

/// <summary>Checks <see cref="TelemetryOptions"/> at start-up (source-generated from the data annotations).</summary>
[OptionsValidator]
public sealed partial class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>;

/// <summary>
/// OpenTelemetry: traces of ASP.NET Core, Npgsql, Redis and outgoing HTTP (with the route and the tracking id, never
/// an API key or a client address); metrics of the HTTP server, the runtime, the process and the service's own meters.
/// OTLP export when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (an endpoint that is no URL is logged and ignored; one that
/// does not answer only costs the exporter's retries); Prometheus <c>/metrics</c> when enabled.
/// </summary>
public static class Telemetry
{
    public const string MetricsPath = "/metrics";
    public const string TrackingIdAttribute = "linktracking.tracking_id";
    private const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Attributes a span must never carry: a client's full address, or anything that could hold a key.</summary>
    private static readonly string[] ForbiddenAttributes = ["client.address", "client.port", "network.peer.address", "http.request.header.x-api-key"];

    public static IServiceCollection AddLinkTrackingTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<TelemetryOptions, TelemetryOptionsValidator>(configuration.GetSection(TelemetryOptions.SectionName));
        var prometheus = configuration.GetValue<bool>("Telemetry:Prometheus:Enabled");
        var redis = configuration.GetSection(RedisOptions.SectionName).Get<RedisOptions>()?.IsEnabled == true;
        var otlp = OtlpEndpoint(configuration);

        var builder = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("linktracking", serviceVersion: FrontDoor.Version))
            .WithTracing(tracing =>
            {
                tracing
                    .AddAspNetCoreInstrumentation(o =>
                    {
                        o.Filter = context => !context.Request.Path.StartsWithSegments(MetricsPath);
                        o.EnrichWithHttpResponse = (activity, response) =>
                        {
                            if (response.HttpContext.GetRouteValue("trackingId") is string trackingId)
                            {
                                activity.SetTag(TrackingIdAttribute, trackingId);
                            }

                            foreach (var name in ForbiddenAttributes)
                            {
                                activity.SetTag(name, null);
                            }
                        };
                    })
                    .AddHttpClientInstrumentation()
                    .AddNpgsql();
                if (redis)
                {
                    tracing.AddRedisInstrumentation();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddProcessInstrumentation()
                    .AddMeter(ClickPipelineMetrics.MeterName, ServiceMetrics.MeterName, "Npgsql");
                if (prometheus)
                {
                    metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                }
            });
        if (otlp is not null)
        {
            var protocol = configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] == "http/protobuf"
                ? OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf
                : OpenTelemetry.Exporter.OtlpExportProtocol.Grpc;
            builder.UseOtlpExporter(protocol, otlp);
        }

        return services;
    }

    /// <summary>Serves <c>/metrics</c> (when enabled) to the allowed networks and to admin keys; 404 to everybody else.</summary>
    public static WebApplication MapLinkTrackingMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value.Prometheus;
        if (!options.Enabled)
        {
            return app;
        }

        var networks = options.Networks();
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(MetricsPath),
            branch => branch.Use(async (context, next) =>
            {
                if (await MayScrapeAsync(context, networks))
                {
                    await next(context);
                    return;
                }

                context.Response.StatusCode = StatusCodes.Status404NotFound;
            }));
        app.MapPrometheusScrapingEndpoint(MetricsPath).AllowAnonymous().DisableRateLimiting();
        return app;
    }

    private static async Task<bool> MayScrapeAsync(HttpContext context, IReadOnlyList<System.Net.IPNetwork> networks)
    {
        var address = IpAddresses.Normalise(context.Connection.RemoteIpAddress);
        if (address is not null && networks.Any(n => n.Contains(address)))
        {
            return true;
        }

        var result = await context.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName);
        return result.Succeeded
            && result.Principal.FindAll(ApiKeyAuthenticationHandler.ScopeClaim).Any(c => c.Value == ScopePolicies.Admin);
    }

    /// <summary>The OTLP endpoint, when one is set and is an absolute URL; a malformed one is reported and ignored.</summary>
    private static Uri? OtlpEndpoint(IConfiguration configuration)
    {
        var value = configuration[OtlpEndpointKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        Console.Error.WriteLine($"{OtlpEndpointKey} is not an http(s) URL; OTLP export is off.");
        return null;
    }
}
