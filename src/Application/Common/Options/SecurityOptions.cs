namespace LinkTracking.Application.Common.Options;

/// <summary>Configuration section <c>Security</c>.</summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>Allow destinations whose host is an IP literal, or <c>localhost</c> / <c>*.localhost</c>. Off by default.</summary>
    public bool AllowIpHosts { get; set; }

    /// <summary>When not empty, destinations must be one of these hosts or a subdomain of one.</summary>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>Destinations on these hosts (or their subdomains) are refused.</summary>
    public IList<string> DeniedHosts { get; } = [];
}
