namespace LinkTracking.Domain.Clicks;

/// <summary>Where a click came from, derived from its referrer unless the caller says otherwise.</summary>
public static class ClickSource
{
    public const int MaxLength = 50;

    public const string Direct = "direct";
    public const string Email = "email";
    public const string LinkedIn = "linkedin";
    public const string Indeed = "indeed";
    public const string Dashboard = "dashboard";
    public const string External = "external";

    /// <summary>A scan of the link's QR code (its URL carries <c>?src=qr</c>).</summary>
    public const string Qr = "qr";

    /// <summary>The sources a link's own URL may name with <c>?src=</c>; anything else is ignored, so a visitor cannot invent sources.</summary>
    private static readonly string[] LinkSources = [Qr, Email, LinkedIn, Indeed];

    private static readonly (string Host, string Source)[] KnownHosts =
    [
        ("gmail.com", Email),
        ("mail.google.com", Email),
        ("outlook.com", Email),
        ("outlook.live.com", Email),
        ("mail.yahoo.com", Email),
        ("linkedin.com", LinkedIn),
        ("lnkd.in", LinkedIn),
        ("indeed.com", Indeed),
    ];

    /// <summary>
    /// No referrer → direct; a referrer whose host is, or is a subdomain of, a known host → that host's source;
    /// a dashboard host → dashboard; anything else (including an unparseable referrer) → external.
    /// </summary>
    public static string Detect(string? referrer, IReadOnlyCollection<string> dashboardHosts)
    {
        ArgumentNullException.ThrowIfNull(dashboardHosts);
        if (string.IsNullOrWhiteSpace(referrer))
        {
            return Direct;
        }

        if (!Uri.TryCreate(referrer, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return External;
        }

        var host = uri.Host;
        foreach (var (knownHost, source) in KnownHosts)
        {
            if (IsHostOrSubdomain(host, knownHost))
            {
                return source;
            }
        }

        foreach (var dashboardHost in dashboardHosts)
        {
            if (IsHostOrSubdomain(host, dashboardHost))
            {
                return Dashboard;
            }
        }

        return External;
    }

    /// <summary>The known source a redirect URL's <c>src</c> parameter names (case-insensitive), or null.</summary>
    public static string? FromLinkParameter(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength)
        {
            return null;
        }

        foreach (var source in LinkSources)
        {
            if (source.Equals(value, StringComparison.OrdinalIgnoreCase))
            {
                return source;
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="host"/> equals <paramref name="domain"/> or ends with "." + domain.</summary>
    public static bool IsHostOrSubdomain(string host, string domain)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(domain);
        return host.Equals(domain, StringComparison.OrdinalIgnoreCase)
            || (host.Length > domain.Length
                && host.EndsWith(domain, StringComparison.OrdinalIgnoreCase)
                && host[host.Length - domain.Length - 1] == '.');
    }
}
