using System.Text;
using System.Text.Json;
using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Application.Clicks.Commands.TrackRedirect;
using LinkTracking.Domain.Clicks;
using Microsoft.Extensions.Primitives;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>
/// Reads everything the redirect needs from the request, once: client address, agent, referrer, session cookie,
/// <c>utm_*</c> parameters, the <c>src</c> parameter (a known click source such as <c>qr</c>), the privacy signals,
/// the headers the classifier reads and the balancer's request id (<see cref="BalancerRequestIds"/>). The controller binds, sends
/// and answers; nothing else parses the request.
/// </summary>
public static class RedirectRequestReader
{
    public const string SessionCookie = "session_id";
    private const int MaxUtmParameters = 10;
    private const int MaxUtmValueLength = 200;

    public static RedirectRequest Read(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var headers = request.Headers;
        return new RedirectRequest(
            request.Method,
            IpAddresses.Normalise(context.Connection.RemoteIpAddress),
            NonEmpty(headers.UserAgent),
            NonEmpty(headers.Referer),
            ReadSessionCookie(request),
            UtmMetadata(request.Query),
            headers["DNT"] == "1" || headers["Sec-GPC"] == "1",
            ClientHeaders.Read(name => NonEmpty(headers[name])),
            ClickSource.FromLinkParameter(request.Query.Count == 0 ? null : NonEmpty(request.Query["src"])),
            BalancerRequestIds.Of(context));
    }

    private static string? NonEmpty(StringValues value) => value.Count == 0 ? null : value.ToString() is { Length: > 0 } text ? text : null;

    /// <summary>The visitor's session cookie when it is printable ASCII of a storable length; otherwise a new one is given.</summary>
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
