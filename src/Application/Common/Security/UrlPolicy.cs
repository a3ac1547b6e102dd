using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using Microsoft.Extensions.Options;

namespace LinkTracking.Application.Common.Security;

/// <summary>
/// Which destinations a tracked link may point at: the domain's URL rules plus the deployment's host lists
/// (<c>Security:AllowIpHosts</c>, <c>Security:AllowedHosts</c>, <c>Security:DeniedHosts</c>). Together they keep the
/// redirect from becoming an open redirect to anywhere.
/// </summary>
public sealed class UrlPolicy(IOptions<SecurityOptions> options)
{
    private readonly SecurityOptions _options = options.Value;

    /// <summary>Returns null when the URL may be tracked, else the reason it may not.</summary>
    public string? Check(string? value)
    {
        if (!TargetUrl.TryCreate(value, out var url, out var error))
        {
            return error;
        }

        if (url!.IsIpLiteral && !_options.AllowIpHosts)
        {
            return "IP-address hosts are not allowed (Security:AllowIpHosts).";
        }

        if (_options.DeniedHosts.Any(h => ClickSource.IsHostOrSubdomain(url.Host, h)))
        {
            return $"The host '{url.Host}' is denied (Security:DeniedHosts).";
        }

        if (_options.AllowedHosts.Count > 0 && !_options.AllowedHosts.Any(h => ClickSource.IsHostOrSubdomain(url.Host, h)))
        {
            return $"The host '{url.Host}' is not in Security:AllowedHosts.";
        }

        return null;
    }
}
