using System.Collections.Frozen;
using System.Net;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Links;
using Microsoft.Extensions.Options;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>
/// Which host a request came in on, from <c>Host</c> (or <c>X-Forwarded-Host</c>, which the forwarded-headers middleware
/// believes only from <c>Network:TrustedProxies</c>): one of <c>LinkTracking:Domains</c>, the default host, or neither.
/// The default host is <c>LinkTracking:PublicBaseUrl</c>'s, and loopback names (health probes, local tools); with no
/// <c>PublicBaseUrl</c> (redirect URLs then name the request's own host) every host not configured is the default one.
/// Only the short-path routes answer 421 on a host that is neither (see docs/security.md, "Host handling").
/// </summary>
public sealed class BrandedHosts
{
    private readonly FrozenDictionary<string, BrandedDomainOptions> _byHost;
    private readonly FrozenSet<string> _rootShortCodeHosts;
    private readonly FrozenSet<string> _shortPaths;
    private readonly string? _defaultHost;

    public BrandedHosts(IOptions<LinkTrackingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var domains = options.Value.Domains;
        _byHost = domains.ToFrozenDictionary(d => d.NormalisedHost, StringComparer.OrdinalIgnoreCase);
        _rootShortCodeHosts = domains.Where(d => d.NormalisedShortPath.Length == 0).Select(d => d.NormalisedHost).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _shortPaths = domains.Select(d => d.NormalisedShortPath.TrimStart('/')).Where(p => p.Length > 0).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _defaultHost = Uri.TryCreate(options.Value.PublicBaseUrl, UriKind.Absolute, out var publicBase) ? publicBase.IdnHost : null;
    }

    /// <summary>Whether any branded domain is configured.</summary>
    public bool Any => _byHost.Count > 0;

    /// <summary>The hosts, for the dashboard's choice.</summary>
    public IEnumerable<string> Hosts => _byHost.Keys;

    /// <summary>The branded domain the request came in on, or null.</summary>
    public BrandedDomainOptions? Find(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_byHost.Count == 0)
        {
            return null;
        }

        var host = request.Host.Host;
        return _byHost.TryGetValue(host.EndsWith('.') ? host.TrimEnd('.') : host, out var domain) ? domain : null;
    }

    /// <summary>Whether the request came in on the default host (see the class summary).</summary>
    public bool IsDefaultHost(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var host = request.Host.Host.TrimEnd('.');
        return _defaultHost is null
            || string.Equals(host, _defaultHost, StringComparison.OrdinalIgnoreCase)
            || string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }

    /// <summary>Whether <paramref name="segment"/> (without its slash) is some domain's short path: the route constraint.</summary>
    public bool IsShortPath(string segment) => _shortPaths.Contains(segment);

    /// <summary>Whether some domain serves its codes at the root (<c>/{code}</c>).</summary>
    public bool AnyAtRoot => _rootShortCodeHosts.Count > 0;
}

/// <summary><c>{x:brandedShortPath}</c>: the segment is a configured domain's short path.</summary>
public sealed class BrandedShortPathConstraint(BrandedHosts hosts) : IRouteConstraint
{
    public const string Name = "brandedShortPath";

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        values.TryGetValue(routeKey, out var value) && value is string segment && hosts.IsShortPath(segment);
}

/// <summary><c>{x:brandedRootCode}</c>: some domain serves its codes at the root and the segment has a code's length.</summary>
public sealed class BrandedRootCodeConstraint(BrandedHosts hosts) : IRouteConstraint
{
    public const string Name = "brandedRootCode";

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        hosts.AnyAtRoot && values.TryGetValue(routeKey, out var value) && value is string { Length: ShortCode.Length };
}
