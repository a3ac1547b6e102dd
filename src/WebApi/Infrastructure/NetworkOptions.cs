using System.Net;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>Configuration section <c>Network</c>.</summary>
public sealed class NetworkOptions
{
    public const string SectionName = "Network";

    /// <summary>
    /// Proxies (IP addresses or CIDR ranges) whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed.
    /// Empty: loopback only (the framework's default); never "everybody".
    /// </summary>
    public IList<string> TrustedProxies { get; } = [];

    /// <summary>
    /// Open connections Kestrel accepts at once on this node (Kestrel's <c>Limits.MaxConcurrentConnections</c>); one more
    /// is closed at once, before a request is read. Unset: no limit. See docs/security.md for per-address limits.
    /// </summary>
    public long? MaxConcurrentConnections { get; set; }

    /// <summary>
    /// The request header carrying the load balancer's unique id of the request (HAProxy <c>unique-id-header</c>),
    /// believed from <see cref="TrustedProxies"/> only: a redirect's click takes it as its idempotency key, so a
    /// request the balancer sends again to another node is counted once (<see cref="BalancerRequestIds"/>). Unset: off.
    /// </summary>
    public string? RequestIdHeader { get; set; }

    /// <summary>The entries that are neither an IP address nor a CIDR range (refused at start-up).</summary>
    public IEnumerable<string> InvalidProxies() =>
        TrustedProxies.Where(p => !IPAddress.TryParse(p, out _) && !System.Net.IPNetwork.TryParse(p, out _));

    /// <summary>Trusts exactly <see cref="TrustedProxies"/> (when any are set).</summary>
    public void ApplyTo(Microsoft.AspNetCore.Builder.ForwardedHeadersOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (TrustedProxies.Count == 0)
        {
            return;
        }

        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        foreach (var proxy in TrustedProxies)
        {
            if (IPAddress.TryParse(proxy, out var address))
            {
                options.KnownProxies.Add(address);
            }
            else if (System.Net.IPNetwork.TryParse(proxy, out var network))
            {
                options.KnownIPNetworks.Add(network);
            }
        }
    }
}
