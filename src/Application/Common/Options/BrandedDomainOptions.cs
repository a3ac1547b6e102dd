using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace LinkTracking.Application.Common.Options;

/// <summary>
/// One entry of <c>LinkTracking:Domains</c>: a branded host the service answers for
/// (<c>LinkTracking__Domains__0__Host=go.brand.test</c>, <c>LinkTracking__Domains__0__ShortPath=/r</c>). A link created
/// on it answers <c>https://{Host}{ShortPath}/{short_code}</c>.
/// </summary>
public sealed partial class BrandedDomainOptions : IValidatableObject
{
    /// <summary>First path segments the service already answers on every host; a short path may not take them.</summary>
    public static readonly IReadOnlySet<string> ReservedPaths = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "/track", "/api", "/dashboard", "/openapi", "/scalar", "/metrics", "/health", "/robots.txt", "/favicon.ico",
    };

    /// <summary>The host name (no scheme, port or path), e.g. <c>go.brand.test</c>; compared without regard to case.</summary>
    public string? Host { get; set; }

    /// <summary>Empty (codes at the root: <c>/{code}</c>) or one path segment such as <c>/r</c>.</summary>
    public string? ShortPath { get; set; }

    /// <summary><see cref="Host"/> in lower case, without a trailing dot.</summary>
    public string NormalisedHost => (Host ?? string.Empty).Trim().TrimEnd('.').ToLowerInvariant();

    /// <summary><see cref="ShortPath"/> without a trailing slash; empty for the root.</summary>
    public string NormalisedShortPath => (ShortPath ?? string.Empty).Trim().TrimEnd('/');

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Host is null || Uri.CheckHostName(NormalisedHost) != UriHostNameType.Dns || NormalisedHost.Length > 253)
        {
            yield return new ValidationResult($"LinkTracking:Domains: Host '{Host}' is not a DNS host name (no scheme, port or path, e.g. go.brand.test).", [nameof(Host)]);
        }

        var path = NormalisedShortPath;
        if (path.Length > 0 && !ShortPathPattern().IsMatch(path))
        {
            yield return new ValidationResult($"LinkTracking:Domains: ShortPath '{ShortPath}' is empty or one path segment of letters, digits, '-' or '_', e.g. /r.", [nameof(ShortPath)]);
        }
        else if (ReservedPaths.Contains(path))
        {
            yield return new ValidationResult($"LinkTracking:Domains: ShortPath '{ShortPath}' is taken by the service itself ({string.Join(", ", ReservedPaths)}).", [nameof(ShortPath)]);
        }
    }

    [GeneratedRegex("^/[A-Za-z0-9_-]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex ShortPathPattern();
}
