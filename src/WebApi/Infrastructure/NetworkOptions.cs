using System.ComponentModel.DataAnnotations;
using System.Net;
using LinkTracking.Application.Common.Options;
using Microsoft.Extensions.Options;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>Configuration section <c>Network</c>.</summary>
public sealed class NetworkOptions
{
    public const string SectionName = "Network";

    /// <summary>
    /// Proxies (IP addresses or CIDR ranges) whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed.
    /// Empty: loopback only (the framework's default); never "everybody".
    /// </summary>
    [IpNetworks(AllowAddresses = true, ErrorMessage = "Network:TrustedProxies entries are IP addresses or CIDR ranges.")]
    public IList<string> TrustedProxies { get; } = [];

    /// <summary>
    /// Open connections Kestrel accepts at once on this node (Kestrel's <c>Limits.MaxConcurrentConnections</c>); one more
    /// is closed at once, before a request is read. Unset: no limit. See docs/security.md for per-address limits.
    /// </summary>
    [Between(1d, 1e15, ErrorMessage = "Network:MaxConcurrentConnections is a positive number (or unset: no limit).")]
    public long? MaxConcurrentConnections { get; set; }

    /// <summary>
    /// The request header carrying the load balancer's unique id of the request (HAProxy <c>unique-id-header</c>),
    /// believed from <see cref="TrustedProxies"/> only: a redirect's click takes it as its idempotency key, so a
    /// request the balancer sends again to another node is counted once (<see cref="BalancerRequestIds"/>). Unset: off.
    /// </summary>
    [MaxLength(100, ErrorMessage = "Network:RequestIdHeader is a header name of at most 100 characters.")]
    public string? RequestIdHeader { get; set; }

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

/// <summary>Checks <see cref="NetworkOptions"/> at start-up (source-generated from the data annotations).</summary>
[OptionsValidator]
public sealed partial class NetworkOptionsValidator : IValidateOptions<NetworkOptions>;
