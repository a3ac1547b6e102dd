using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Asp.Versioning;
using LinkTracking.Application.Clicks.Commands.TrackRedirect;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using LinkTracking.WebApi.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace LinkTracking.WebApi.Controllers;

/// <summary>
/// The redirect: the product's hot path. No key, no mapper, no change tracking; the link comes from the
/// cache and the click is recorded through the group-commit pipeline before the 302 is sent.
/// </summary>
[ApiController]
[ApiVersionNeutral]
[AllowAnonymous]
[Route("track")]
public sealed class TrackController(ISender sender, IOptions<PrivacyOptions> privacy) : ControllerBase
{
    public const string SessionCookie = "session_id";
    private const int MaxUtmParameters = 10;
    private const int MaxUtmValueLength = 200;

    [ThreadStatic]
    private static byte[]? t_sessionIdBytes;

    [ThreadStatic]
    private static int t_sessionIdOffset;

    /// <summary>
    /// 302 to the link's destination with <c>Cache-Control: no-store</c>, the click recorded durably. HEAD redirects
    /// the same way but is counted as a bot. Malformed id → 400; unknown or inactive → 404 (HTML for browsers,
    /// a problem document for <c>Accept: application/json</c>).
    /// </summary>
    [HttpGet("{trackingId}")]
    [HttpHead("{trackingId}")]
    [EnableRateLimiting(RateLimitPolicies.ClicksPerIp)]
    [ProducesResponseType(StatusCodes.Status302Found)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<IActionResult> Follow(string trackingId, CancellationToken cancellationToken)
    {
        if (!TrackingId.IsWellFormed(trackingId))
        {
            return TrackProblems.Result(HttpContext, StatusCodes.Status400BadRequest, "Malformed tracking id", "A tracking id is 'lt_' followed by 8 to 32 characters of [a-z0-9].");
        }

        var request = Request;
        var doNotTrack = request.Headers["DNT"] == "1" || request.Headers["Sec-GPC"] == "1";
        var sessionId = ReadSessionCookie(request);
        var command = new TrackRedirectCommand(
            trackingId,
            HttpMethods.IsHead(request.Method),
            HttpContext.Connection.RemoteIpAddress is { } ip && ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : HttpContext.Connection.RemoteIpAddress,
            request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null,
            request.Headers.Referer.ToString() is { Length: > 0 } referer ? referer : null,
            sessionId ?? NewSessionId(),
            UtmMetadata(request.Query),
            doNotTrack);

        var result = await sender.Send(command, cancellationToken);
        if (!result.Found)
        {
            return TrackProblems.Result(HttpContext, StatusCodes.Status404NotFound, "Link not found", "This link does not exist or is no longer active.");
        }

        var headers = Response.Headers;
        headers.CacheControl = "no-store";
        headers.Location = result.Location;
        if (sessionId is null && command.SessionId is not null && !(doNotTrack && privacy.Value.HonorDoNotTrack))
        {
            Response.Cookies.Append(SessionCookie, command.SessionId, new CookieOptions
            {
                HttpOnly = true,
                Secure = request.IsHttps,
                SameSite = SameSiteMode.Lax,
                Path = "/track",
                IsEssential = false,
            });
        }

        return StatusCode(StatusCodes.Status302Found);
    }

    private static string? ReadSessionCookie(HttpRequest request)
    {
        var value = request.Cookies[SessionCookie];
        if (string.IsNullOrEmpty(value) || value.Length > LinkClick.MaxSessionIdLength)
        {
            return null;
        }

        foreach (var c in value)
        {
            if (c is < '!' or > '~')
            {
                return null;
            }
        }

        return value;
    }

    /// <summary>128 random bits from the CSPRNG, drawn from a per-thread buffer refilled 64 ids at a time: one call
    /// into the crypto library per 64 new visitors instead of one per redirect (measured, bench/RESULTS.md).</summary>
    private static string NewSessionId()
    {
        const int idBytes = 16;
        var buffer = t_sessionIdBytes ??= new byte[idBytes * 64];
        if (t_sessionIdOffset == 0)
        {
            RandomNumberGenerator.Fill(buffer);
        }

        var id = Convert.ToHexStringLower(buffer.AsSpan(t_sessionIdOffset, idBytes));
        // Used bytes are wiped, so no id can be recovered from the buffer later.
        buffer.AsSpan(t_sessionIdOffset, idBytes).Clear();
        t_sessionIdOffset = (t_sessionIdOffset + idBytes) % buffer.Length;
        return id;
    }

    /// <summary>The request's <c>utm_*</c> parameters as a JSON object (at most 10, values cut to 200 characters).</summary>
    private static string? UtmMetadata(IQueryCollection query)
    {
        if (query.Count == 0)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var written = 0;
            foreach (var (key, value) in query)
            {
                if (!key.StartsWith("utm_", StringComparison.OrdinalIgnoreCase) || key.Length > 50 || written == MaxUtmParameters)
                {
                    continue;
                }

                if (written++ == 0)
                {
                    writer.WriteStartObject();
                }

                var text = value.ToString();
                writer.WriteString(key.ToLowerInvariant(), text.Length > MaxUtmValueLength ? text[..MaxUtmValueLength] : text);
            }

            if (written == 0)
            {
                return null;
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
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
            Content = Page(title, detail),
        };
    }

    private static bool WantsJson(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        return accept.Any(a => a.MediaType.HasValue
            && (a.MediaType.Value!.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                || a.MediaType.Value.Equals("application/problem+json", StringComparison.OrdinalIgnoreCase)))
            && !accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Nothing from the request is reflected; the texts are ours, encoded all the same.</summary>
    private static string Page(string title, string detail) =>
        $"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(title)}</title></head>
        <body><h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(detail)}</p></body></html>
        """;
}
