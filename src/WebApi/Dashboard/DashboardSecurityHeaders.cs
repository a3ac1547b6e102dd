using LinkTracking.WebApi.Infrastructure;

namespace LinkTracking.WebApi.Dashboard;

/// <summary>
/// Every answer under <c>/dashboard</c> (pages and assets) carries the headers of the service's other HTML pages, with
/// a policy that lets the pages load their own scripts, styles and images and nothing else: no inline script, no
/// inline style, no other origin, no framing, forms posting only to the service itself.
/// </summary>
public static class DashboardSecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static IApplicationBuilder UseDashboardSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(DashboardAuthentication.BasePath, StringComparison.OrdinalIgnoreCase))
            {
                var headers = context.Response.Headers;
                SecurityHeaders.ApplyHtml(headers);
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.CacheControl = context.Request.Path.StartsWithSegments(DashboardAuthentication.BasePath + "/assets", StringComparison.OrdinalIgnoreCase)
                    ? "public, max-age=3600"
                    : "no-store";
            }

            return next(context);
        });
}
