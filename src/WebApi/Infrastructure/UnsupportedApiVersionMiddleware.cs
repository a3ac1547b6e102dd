using Asp.Versioning;
using Microsoft.AspNetCore.Mvc;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>
/// <c>/api/v9/…</c> answers 400 with a problem document, as the contract says. (Asp.Versioning answers 404 for an
/// unknown URL-segment version, because no route template claims it; a query-string version gets its 400 there.)
/// </summary>
public sealed class UnsupportedApiVersionMiddleware(RequestDelegate next)
{
    public static readonly ApiVersion Supported = new(1, 0);

    /// <summary>Other paths (the redirect among them) go straight on, without an async frame of their own.</summary>
    public Task InvokeAsync(HttpContext context, IProblemDetailsService problemDetails)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path.Value;
        if (path is not null && path.StartsWith("/api/v", StringComparison.OrdinalIgnoreCase))
        {
            var end = path.IndexOf('/', 6);
            var segment = end < 0 ? path[6..] : path[6..end];
            segment = segment.Length > 20 ? segment[..20] : segment;
            if (!ApiVersionParser.Default.TryParse(segment, out var version) || version != Supported)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                context.Response.Headers["api-supported-versions"] = Supported.ToString();
                return problemDetails.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status400BadRequest,
                        Title = "Unsupported API version",
                        Detail = $"API version '{segment}' is not supported; supported versions: {Supported}.",
                        Type = "https://docs.api-versioning.org/problems#unsupported",
                    },
                }).AsTask();
            }
        }

        return next(context);
    }
}
