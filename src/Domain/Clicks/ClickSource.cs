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
