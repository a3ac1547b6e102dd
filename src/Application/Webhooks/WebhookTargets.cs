using System.Net;
using LinkTracking.Application.Common.Options;

namespace LinkTracking.Application.Webhooks;

/// <summary>
/// Which URLs a webhook may be sent to: absolute http(s) (https only unless <c>Webhooks:RequireHttps</c> is false), no
/// user info, and no loopback, private or link-local address literal unless <c>Webhooks:AllowPrivateTargets</c>.
/// Names are checked again when connecting (every resolved address), so DNS cannot smuggle a private target in.
/// </summary>
public static class WebhookTargets
{
    /// <summary>Null when the URL may be used, else why not.</summary>
    public static string? Check(string? value, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return "url is an absolute http or https URL.";
        }

        if (options.RequireHttps && uri.Scheme != Uri.UriSchemeHttps)
        {
            return "url must use https (Webhooks:RequireHttps).";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "url must not carry user info.";
        }

        if (!options.AllowPrivateTargets)
        {
            if (uri.IsLoopback || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            {
                return "url must not point at this machine (Webhooks:AllowPrivateTargets).";
            }

            if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && !IsPublic(address))
            {
                return "url must not point at a private, loopback or link-local address (Webhooks:AllowPrivateTargets).";
            }
        }

        return null;
    }

    /// <summary>False for loopback, private (RFC 1918, ULA), link-local, CGNAT, unspecified and multicast addresses.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }

        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            var uniqueLocal = (b[0] & 0xfe) == 0xfc;
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || uniqueLocal);
        }

        var v4 = address.GetAddressBytes();
        return v4[0] switch
        {
            0 or 10 or 127 => false,
            100 when v4[1] >= 64 && v4[1] <= 127 => false, // CGNAT 100.64/10
            169 when v4[1] == 254 => false,
            172 when v4[1] >= 16 && v4[1] <= 31 => false,
            192 when v4[1] == 168 => false,
            192 when v4[1] == 0 && v4[2] == 0 => false,
            >= 224 => false, // multicast and reserved
            _ => true,
        };
    }
}
