using System.Net;
using System.Reflection;
using LinkTracking.Application.Common.Options;
using LinkTracking.WebApi.Dashboard;
using Microsoft.Extensions.Options;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>
/// What a person or a crawler finds at the service's root: <c>/</c> (a small page, or a redirect to
/// <c>LinkTracking:Redirects:BaseUrl</c>), <c>/robots.txt</c> (keeps crawlers off <c>/track/</c>, so that they neither
/// count as clicks nor index destinations), <c>/favicon.ico</c> (204: browsers ask for it on every page), and 404 for
/// any path no endpoint answers, before authentication can call it a 401. On a branded host
/// (<c>LinkTracking:Domains</c>) <c>/robots.txt</c> disallows everything (the host carries short links only) and
/// <c>/</c> is a 404 with a neutral page: a branded domain names its owner, not this service.
/// </summary>
public static class FrontDoor
{
    public const string RobotsTxt = "User-agent: *\nDisallow: /track/\n";

    /// <summary><c>/robots.txt</c> on a branded host.</summary>
    public const string BrandedRobotsTxt = "User-agent: *\nDisallow: /\n";

    /// <summary>The service's version, as the assembly states it (without the commit suffix).</summary>
    public static string Version { get; } =
        (typeof(FrontDoor).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    public static IEndpointRouteBuilder MapFrontDoor(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], Home).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapMethods("/robots.txt", [HttpMethods.Get, HttpMethods.Head], Robots).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapMethods("/favicon.ico", [HttpMethods.Get, HttpMethods.Head], Favicon).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>
    /// A request no endpoint matched is a 404, never a 401: the status-code pages write its problem document, or, under
    /// <c>/dashboard</c>, the dashboard's HTML not-found page.
    /// </summary>
    public static IApplicationBuilder UseNotFoundForUnknownRoutes(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.GetEndpoint() is not null)
            {
                return next(context);
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return DashboardNotFound.IsDashboardPath(context) ? DashboardNotFound.WriteAsync(context) : Task.CompletedTask;
        });

    private static IResult Home(HttpContext context, IOptions<LinkTrackingOptions> options, BrandedHosts brandedHosts)
    {
        if (brandedHosts.Find(context.Request) is not null)
        {
            SecurityHeaders.ApplyHtml(context.Response.Headers);
            return Results.Content(SecurityHeaders.SimplePage("Not found", "There is nothing here."), "text/html; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        }

        if (options.Value.Redirects.BaseUrl is { Length: > 0 } baseUrl)
        {
            return Results.Redirect(baseUrl);
        }

        SecurityHeaders.ApplyHtml(context.Response.Headers);
        var version = WebUtility.HtmlEncode(Version);
        return Results.Content(
            $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>LinkTracking</title></head>
            <body><h1>LinkTracking</h1><p>Link and click tracking service, version {version}.</p>
            <ul><li><a href="/scalar">API reference</a> (<a href="/openapi/v1.json">OpenAPI document</a>)</li>
            <li><a href="/health/ready">Health</a></li></ul></body></html>
            """,
            "text/html; charset=utf-8");
    }

    private static IResult Robots(HttpContext context, BrandedHosts brandedHosts)
    {
        context.Response.Headers.CacheControl = "public, max-age=86400";
        return Results.Text(brandedHosts.Find(context.Request) is null ? RobotsTxt : BrandedRobotsTxt, "text/plain; charset=utf-8");
    }

    private static IResult Favicon(HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=86400";
        return Results.NoContent();
    }
}
