using LinkTracking.Domain.Common;

namespace LinkTracking.Domain.Links;

/// <summary>
/// The destination of a redirect: an absolute http(s) URL with a real host, no user-info, no whitespace or
/// control characters, at most <see cref="MaxLength"/> characters. International host names are stored in
/// their ASCII (punycode) form so that look-alike hosts are visible and the Location header stays ASCII.
/// </summary>
public sealed record TargetUrl
{
    public const int MaxLength = 1000;

    private TargetUrl(string value, string host, bool isIpLiteral)
    {
        Value = value;
        Host = host;
        IsIpLiteral = isIpLiteral;
    }

    public string Value { get; }

    /// <summary>The host in ASCII form, lower case.</summary>
    public string Host { get; }

    public bool IsIpLiteral { get; }

    /// <summary>
    /// Rebuilds a URL read back from storage. It was checked when it was created; it is not re-checked against
    /// today's rules, so that tightening a rule never makes stored links unreadable.
    /// </summary>
    public static TargetUrl Rehydrate(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var uri = new Uri(value, UriKind.Absolute);
        var isIp = uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6;
        return new TargetUrl(value, uri.IdnHost.Trim('[', ']'), isIp);
    }

    public static TargetUrl Create(string? value) =>
        TryCreate(value, out var url, out var error) ? url! : throw new DomainRuleException("original_url", error!);

    public static bool TryCreate(string? value, out TargetUrl? url, out string? error)
    {
        url = null;
        error = Check(value, out var uri);
        if (error is not null)
        {
            return false;
        }

        var isIp = uri!.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6;
        var host = isIp ? uri.Host : uri.IdnHost.ToLowerInvariant();
        var normalised = isIp || string.Equals(uri.Host, host, StringComparison.Ordinal)
            ? uri.AbsoluteUri
            : new UriBuilder(uri) { Host = host }.Uri.AbsoluteUri;
        if (normalised.Length > MaxLength)
        {
            error = $"The URL is longer than {MaxLength} characters once normalised.";
            return false;
        }

        url = new TargetUrl(normalised, host.Trim('[', ']'), isIp);
        return true;
    }

    private static string? Check(string? value, out Uri? uri)
    {
        uri = null;
        if (string.IsNullOrEmpty(value))
        {
            return "The URL is required.";
        }

        if (value.Length > MaxLength)
        {
            return $"The URL must be at most {MaxLength} characters.";
        }

        foreach (var c in value)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                return "The URL must not contain whitespace or control characters.";
            }

            if (c == '\\')
            {
                return "The URL must not contain backslashes.";
            }
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out uri))
        {
            return "The URL must be absolute.";
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return "Only http and https URLs can be tracked.";
        }

        if (!value.StartsWith(uri.Scheme + "://", StringComparison.OrdinalIgnoreCase))
        {
            return "The URL must have the form scheme://host/...";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "The URL must not contain a user-info part.";
        }

        if (string.IsNullOrEmpty(uri.Host) || uri.HostNameType is UriHostNameType.Unknown or UriHostNameType.Basic)
        {
            return "The URL must have a valid host.";
        }

        // A trailing dot ("intranet.") is the same single label written as a fully qualified name.
        var dnsName = uri.Host.TrimEnd('.');
        if (uri.HostNameType == UriHostNameType.Dns && !dnsName.Contains('.', StringComparison.Ordinal) && !string.Equals(dnsName, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return "The URL host must be a fully qualified domain name.";
        }

        return null;
    }

    public override string ToString() => Value;
}
