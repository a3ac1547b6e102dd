using System.Globalization;
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
    private readonly string[] _allowedHosts = [.. options.Value.AllowedHosts.Select(NormaliseHost)];
    private readonly string[] _deniedHosts = [.. options.Value.DeniedHosts.Select(NormaliseHost)];

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

        // A name that always means the machine that follows the link, like an IP literal of it.
        if (LocalhostNames.Matches(url.Host) && !_options.AllowIpHosts)
        {
            return "localhost hosts are not allowed (Security:AllowIpHosts).";
        }

        // "evil.com." is the same host as "evil.com": compare without the trailing dot.
        var host = url.Host.TrimEnd('.');
        if (_deniedHosts.Any(h => ClickSource.IsHostOrSubdomain(host, h)))
        {
            return $"The host '{url.Host}' is denied (Security:DeniedHosts).";
        }

        if (_allowedHosts.Length > 0 && !_allowedHosts.Any(h => ClickSource.IsHostOrSubdomain(host, h)))
        {
            return $"The host '{url.Host}' is not in Security:AllowedHosts.";
        }

        return null;
    }

    /// <summary>A configured host in the form <see cref="TargetUrl.Host"/> has: ASCII (punycode), lower case, no trailing dot.</summary>
    private static string NormaliseHost(string host)
    {
        var trimmed = host.Trim().TrimEnd('.');
        try
        {
            return new IdnMapping().GetAscii(trimmed).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return trimmed.ToLowerInvariant();
        }
    }
}
