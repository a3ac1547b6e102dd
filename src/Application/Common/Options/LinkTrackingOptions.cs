using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace LinkTracking.Application.Common.Options;

/// <summary>Configuration section <c>LinkTracking</c>.</summary>
public sealed class LinkTrackingOptions : IValidatableObject
{
    public const string SectionName = "LinkTracking";

    /// <summary>Base of every redirect_url; when unset, the request's own scheme and host.</summary>
    [HttpUrl(ErrorMessage = "LinkTracking:PublicBaseUrl is an absolute http(s) URL.")]
    public string? PublicBaseUrl { get; set; }

    /// <summary>Whether <see cref="PublicBaseUrl"/> is https: then the tracking session cookie is <c>Secure</c> even behind a TLS-terminating proxy.</summary>
    public bool PublicBaseIsHttps =>
        PublicBaseUrl is { Length: > 0 } url && url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Redirects instead of error pages for <c>/</c> and for unknown links.</summary>
    [ValidateObjectMembers]
    public RedirectsOptions Redirects { get; } = new();

    /// <summary>Hosts whose referrers count as the <c>dashboard</c> click source.</summary>
    public IList<string> DashboardHosts { get; } = [];

    /// <summary>When not empty, the only link functions accepted.</summary>
    public IList<string> AllowedFunctions { get; } = [];

    /// <summary>Where an application package's decoy link leads; when unset, the package's first destination.</summary>
    [HttpUrl(ErrorMessage = "LinkTracking:DecoyUrl is an absolute http(s) URL.")]
    public string? DecoyUrl { get; set; }

    /// <summary>Branded hosts links may be created on (<c>domain</c>); <see cref="PublicBaseUrl"/> stays the default domain.</summary>
    [ValidateEnumeratedItems]
    public IList<BrandedDomainOptions> Domains { get; } = [];

    /// <summary>The configured branded domain named <paramref name="host"/> (any case), or null.</summary>
    public BrandedDomainOptions? FindDomain(string? host) =>
        string.IsNullOrEmpty(host) ? null : Domains.FirstOrDefault(d => string.Equals(d.NormalisedHost, host.TrimEnd('.'), StringComparison.OrdinalIgnoreCase));

    /// <summary>Checks across entries: no host twice, none equal to the default domain's.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var host in Domains.GroupBy(d => d.NormalisedHost).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            yield return new ValidationResult($"LinkTracking:Domains: Host '{host}' is listed more than once.", [nameof(Domains)]);
        }

        if (Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var publicBase) && FindDomain(publicBase.Host) is { } same)
        {
            yield return new ValidationResult($"LinkTracking:Domains: Host '{same.Host}' is the default domain (LinkTracking:PublicBaseUrl); list only other hosts.", [nameof(Domains)]);
        }
    }

    /// <summary>Profile URLs of the standard application package, by link function (LinkedIn, Calendly, ...).</summary>
    public IDictionary<string, string> StandardLinks { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>Checks <see cref="LinkTrackingOptions"/> (and its <c>Redirects</c>) at start-up, source-generated from the data annotations.</summary>
[OptionsValidator]
public sealed partial class LinkTrackingOptionsValidator : IValidateOptions<LinkTrackingOptions>;
