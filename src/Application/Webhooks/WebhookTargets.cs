using System.Net;
using LinkTracking.Application.Common.Options;
using LinkTracking.Application.Common.Security;

namespace LinkTracking.Application.Webhooks;

/// <summary>
/// Which URLs a webhook may be sent to: absolute http(s) (https only unless <c>Webhooks:RequireHttps</c> is false), no
/// user info, and no <c>localhost</c> name or non-public address literal (<see cref="IsPublic"/>) unless
/// <c>Webhooks:AllowPrivateTargets</c>.
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
            if (uri.IsLoopback || LocalhostNames.Matches(uri.Host))
            {
                return "url must not point at this machine (Webhooks:AllowPrivateTargets).";
            }

            if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && !IsPublic(address))
            {
                return "url must not point at a private, loopback, link-local or other non-public address (Webhooks:AllowPrivateTargets).";
            }
        }

        return null;
    }

    /// <summary>
    /// False for every address the IANA special-purpose registries call not globally reachable (loopback, private,
    /// link-local, CGNAT, benchmarking, documentation, reserved…), for multicast, and for an IPv6 address that carries
    /// such an IPv4 address (NAT64, 6to4, Teredo, IPv4-mapped or -compatible): <see cref="SpecialPurposeAddresses"/>.
    /// </summary>
    public static bool IsPublic(IPAddress address) => SpecialPurposeAddresses.IsGloballyReachable(address);
}
