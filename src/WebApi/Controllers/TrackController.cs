using Asp.Versioning;
using LinkTracking.Application.Clicks.Commands.TrackRedirect;
using LinkTracking.Application.Common.Options;
using LinkTracking.Application.Clicks.OrphanVisits;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Telemetry;
using LinkTracking.WebApi.Infrastructure;
using LinkTracking.WebApi.OpenApi;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace LinkTracking.WebApi.Controllers;

/// <summary>
/// The redirect: the product's hot path. No key, no mapper, no change tracking; the request is read once
/// (<see cref="RedirectRequestReader"/>), the link comes from the cache and the click is classified and recorded
/// through the journal before the 302 is sent. The controller binds, sends and answers. <see cref="HotPathAttribute"/>:
/// the request skips API-key authentication, authorization, antiforgery and API versioning's routing policy.
/// </summary>
[ApiController]
[ApiVersionNeutral]
[AllowAnonymous]
[HotPath]
[Route("track")]
public sealed class TrackController(
    ISender sender,
    IOptions<LinkTrackingOptions> options,
    ServiceMetrics metrics,
    OrphanVisitRecorder orphanVisits,
    BrandedHosts brandedHosts,
    ILinkCache linkCache) : ControllerBase
{
    private const string TrackCookiePath = "/track";

    /// <summary>
    /// 302 to the link's destination with <c>Cache-Control: no-store</c>, the click recorded durably. HEAD and OPTIONS
    /// redirect the same way but are counted as bots. Malformed id → 400; unknown or inactive → 404 (HTML for
    /// browsers, a problem document for <c>Accept: application/json</c>). A link past its <c>expires_at</c> or whose
    /// human clicks reached <c>max_human_clicks</c> → 302 to its <c>fallback_url</c>, or 410 Gone (HTML or problem,
    /// as for 404) without one; no click is recorded then. <c>?src=qr</c> (and the other known sources) sets the
    /// click source. Requests for malformed or unknown ids are kept as orphan visits (capped; see
    /// <c>GET /api/v1/link-tracking/orphan-visits</c>).
    /// </summary>
    [HttpGet("{trackingId}")]
    [OperationId("followLink")]
    [HttpHead("{trackingId}")]
    [HttpOptions("{trackingId}")]
    [EnableRateLimiting(RateLimitPolicies.ClicksPerIp)]
    [ProducesResponseType(StatusCodes.Status302Found)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status410Gone, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<IActionResult> Follow(string trackingId, CancellationToken cancellationToken)
    {
        if (!TrackingId.TryParse(trackingId, out var id))
        {
            metrics.Redirect("malformed");
            orphanVisits.Record(Request.Path.Value ?? string.Empty, RedirectRequestReader.Read(HttpContext));
            return TrackProblems.Result(HttpContext, StatusCodes.Status400BadRequest, "Malformed tracking id", "A tracking id is 'lt_' followed by 8 to 32 characters of [a-z0-9].");
        }

        // On a branded host only that domain's links answer here; elsewhere, links of the default domain (as always).
        var domain = brandedHosts.Find(Request);
        return await RedirectAsync(id!, domain?.NormalisedHost, TrackCookiePath, RedirectRequestReader.Read(HttpContext), cancellationToken);
    }

    /// <summary>
    /// A link on a branded domain: <c>{host}{short_path}/{short_code}</c>, the same redirect as <c>/track/{id}</c>
    /// (pipeline, classification, journal, limits, cache). The link answers only on its own domain: a configured host
    /// that is not its own, or the default host → 404; a host that is neither configured nor the default one → 421
    /// Misdirected Request. The routes exist only for configured short paths (route constraints); not in the OpenAPI
    /// document, since their paths are configuration.
    /// </summary>
    [HttpGet("~/{shortPath:brandedShortPath}/{shortCode}")]
    [HttpHead("~/{shortPath:brandedShortPath}/{shortCode}")]
    [HttpOptions("~/{shortPath:brandedShortPath}/{shortCode}")]
    [HttpGet("~/{shortCode:brandedRootCode}")]
    [HttpHead("~/{shortCode:brandedRootCode}")]
    [HttpOptions("~/{shortCode:brandedRootCode}")]
    [EnableRateLimiting(RateLimitPolicies.ClicksPerIp)]
    [ApiExplorerSettings(IgnoreApi = true)]
    public async Task<IActionResult> FollowShortLink(string? shortPath, string shortCode, CancellationToken cancellationToken)
    {
        var domain = brandedHosts.Find(Request);
        if (domain is null && !brandedHosts.IsDefaultHost(Request))
        {
            metrics.Redirect("misdirected");
            return TrackProblems.Result(HttpContext, StatusCodes.Status421MisdirectedRequest, "Misdirected request", "This service does not answer for this host.");
        }

        var request = RedirectRequestReader.Read(HttpContext);
        var path = shortPath is null ? string.Empty : "/" + shortPath;
        if (domain is null || !string.Equals(domain.NormalisedShortPath, path, StringComparison.OrdinalIgnoreCase) || !ShortCode.IsWellFormed(shortCode))
        {
            return LinkNotFound(request, unknown: true);
        }

        var id = await linkCache.FindByShortCodeAsync(domain.NormalisedHost, shortCode, cancellationToken);
        return id is null
            ? LinkNotFound(request, unknown: true)
            : await RedirectAsync(id, domain.NormalisedHost, path.Length == 0 ? "/" : path, request, cancellationToken);
    }

    /// <summary>The redirect of both routes, once: send the command, answer 302, 404 or 410.</summary>
    private async Task<IActionResult> RedirectAsync(TrackingId id, string? domain, string cookiePath, RedirectRequest request, CancellationToken cancellationToken)
    {
        var result = await sender.Send(new TrackRedirectCommand(id, request) { Domain = domain }, cancellationToken);
        if (result is { Spent: true, Found: false })
        {
            metrics.Redirect("expired");
            return TrackProblems.Result(HttpContext, StatusCodes.Status410Gone, "Link expired", "This link has expired or reached its limit of visits.");
        }

        if (!result.Found)
        {
            return LinkNotFound(request, result.Unknown);
        }

        metrics.Redirect("redirected");
        var headers = Response.Headers;
        headers.CacheControl = "no-store";
        headers.Location = result.Location;
        if (result.NewSessionId is not null)
        {
            Response.Cookies.Append(RedirectRequestReader.SessionCookie, result.NewSessionId, new CookieOptions
            {
                HttpOnly = true,
                Secure = Request.IsHttps || options.Value.PublicBaseIsHttps,
                SameSite = SameSiteMode.Lax,
                Path = cookiePath,
                IsEssential = false,
            });
        }

        return StatusCode(StatusCodes.Status302Found);
    }

    /// <summary>Unknown or inactive (or on another domain): 404, or the invalid-link redirect; unknown ones are orphan visits.</summary>
    private IActionResult LinkNotFound(RedirectRequest request, bool unknown)
    {
        if (unknown)
        {
            orphanVisits.Record(Request.Path.Value ?? string.Empty, request);
        }

        var redirect = InvalidLinkRedirect();
        metrics.Redirect(redirect is null ? "not_found" : "invalid_link_redirect");
        return redirect
            ?? TrackProblems.Result(HttpContext, StatusCodes.Status404NotFound, "Link not found", "This link does not exist or is no longer active.");
    }

    /// <summary>
    /// <c>LinkTracking:Redirects:InvalidLink</c>, when set, for browsers that followed an unknown or inactive link
    /// (API clients asking for JSON still get the 404 problem). The one place that decides it.
    /// </summary>
    private RedirectResult? InvalidLinkRedirect()
    {
        if (options.Value.Redirects.InvalidLink is not { Length: > 0 } target || TrackProblems.WantsJson(Request))
        {
            return null;
        }

        Response.Headers.CacheControl = "no-store";
        return Redirect(target);
    }
}

/// <summary>Error answers of the redirect: a small HTML page for browsers, a problem document for API clients.</summary>
public static class TrackProblems
{
    public static IActionResult Result(HttpContext context, int status, string title, string detail)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (WantsJson(context.Request))
        {
            // The factory adds what every other problem document carries: type, instance and traceId.
            var problem = context.RequestServices.GetRequiredService<ProblemDetailsFactory>().CreateProblemDetails(context, status, title, detail: detail);
            return new ObjectResult(problem) { StatusCode = status, ContentTypes = { "application/problem+json" } };
        }

        SecurityHeaders.ApplyHtml(context.Response.Headers);
        return new ContentResult
        {
            StatusCode = status,
            ContentType = "text/html; charset=utf-8",
            Content = SecurityHeaders.SimplePage(title, detail),
        };
    }

    public static bool WantsJson(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        return accept.Any(a => a.MediaType.HasValue
            && (a.MediaType.Value!.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                || a.MediaType.Value.Equals("application/problem+json", StringComparison.OrdinalIgnoreCase)))
            && !accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
    }
}
