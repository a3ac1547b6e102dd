using Microsoft.Extensions.Options;

namespace LinkTracking.Application.Common.Options;

/// <summary>Configuration section <c>Security</c>.</summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>Allow destinations whose host is an IP literal, or <c>localhost</c> / <c>*.localhost</c>. Off by default.</summary>
    public bool AllowIpHosts { get; set; }

    /// <summary>When not empty, destinations must be one of these hosts or a subdomain of one.</summary>
    [HostNames(ErrorMessage = "Security:AllowedHosts entries are host names or IP addresses (no scheme, port or path).")]
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>Destinations on these hosts (or their subdomains) are refused.</summary>
    [HostNames(ErrorMessage = "Security:DeniedHosts entries are host names or IP addresses (no scheme, port or path).")]
    public IList<string> DeniedHosts { get; } = [];
}

/// <summary>Checks <see cref="SecurityOptions"/> at start-up (source-generated from the data annotations).</summary>
[OptionsValidator]
public sealed partial class SecurityOptionsValidator : IValidateOptions<SecurityOptions>;
