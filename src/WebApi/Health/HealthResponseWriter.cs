using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LinkTracking.WebApi.Health;

/// <summary>
/// <c>/track/health</c>: <c>{"status":"healthy","service":"link-tracking","version":"…","checks":{…}}</c>;
/// 503 with <c>unhealthy</c> when a dependency the service needs is down.
/// </summary>
public static class HealthResponseWriter
{
    public const string ServiceName = "link-tracking";

    private static readonly string Version =
        typeof(HealthResponseWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0.0";

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var body = new Dictionary<string, object?>
        {
            ["status"] = Name(report.Status),
            ["service"] = ServiceName,
            ["version"] = Version,
            ["timestamp"] = DateTime.UtcNow,
            ["duration_ms"] = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            ["checks"] = report.Entries.ToDictionary(
                e => e.Key,
                e => new Dictionary<string, object?>
                {
                    ["status"] = Name(e.Value.Status),
                    ["description"] = e.Value.Description ?? e.Value.Exception?.Message,
                    ["data"] = e.Value.Data.Count == 0 ? null : e.Value.Data,
                }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
