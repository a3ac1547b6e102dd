using System.Net;
using LinkTracking.Domain.Clicks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>
/// The load balancer's id of a request (<c>Network:RequestIdHeader</c>; HAProxy <c>unique-id-header</c>), believed
/// only from a trusted proxy, like <c>X-Forwarded-For</c>. A request the balancer sends again to another node after
/// the first died mid-request carries the same id, and the redirect's click takes it as its idempotency key (as a
/// partner's <c>event_id</c>): it is stored once per link and id (<see cref="LinkClick.IdForEvent"/>).
/// </summary>
public static class BalancerRequestIds
{
    /// <summary>
    /// Reads the request id before the forwarded headers replace the connection's address with the client's: the
    /// peer judged is the one that sent the request. Registers nothing when <c>Network:RequestIdHeader</c> is unset.
    /// </summary>
    public static IApplicationBuilder UseBalancerRequestIds(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var header = app.ApplicationServices.GetRequiredService<IOptions<NetworkOptions>>().Value.RequestIdHeader;
        if (string.IsNullOrEmpty(header))
        {
            return app;
        }

        var proxies = app.ApplicationServices.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        return app.Use((context, next) =>
        {
            if (context.Request.Headers.TryGetValue(header, out var values)
                && IsTrusted(context.Connection.RemoteIpAddress, proxies)
                && Valid(values) is { } id)
            {
                context.Features.Set(new BalancerRequestId(id));
            }

            return next(context);
        });
    }

    /// <summary>The request's id from a trusted balancer, or null.</summary>
    public static string? Of(HttpContext context) => context.Features.Get<BalancerRequestId>()?.Value;

    /// <summary>The same peers whose <c>X-Forwarded-For</c> is believed (<c>Network:TrustedProxies</c>, else loopback).</summary>
    private static bool IsTrusted(IPAddress? peer, ForwardedHeadersOptions proxies)
    {
        if (peer is null)
        {
            return false;
        }

        peer = IpAddresses.Normalise(peer);
        return proxies.KnownProxies.Any(p => IpAddresses.Normalise(p).Equals(peer)) || proxies.KnownIPNetworks.Any(n => n.Contains(peer));
    }

    /// <summary>
    /// The value the nearest proxy set (the last, should it have appended to one the client sent) when it is printable
    /// ASCII of a storable length; otherwise none, and the click is counted without a key.
    /// </summary>
    private static string? Valid(StringValues values)
    {
        var value = values.Count == 0 ? null : values[^1]?.Trim();
        if (string.IsNullOrEmpty(value) || value.Length > LinkClick.MaxEventIdLength)
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

    private sealed record BalancerRequestId(string Value);
}
