using System.Net;

namespace LinkTracking.Application.Clicks.Classification;

/// <summary>What kind of network an address belongs to, from the shipped IP→ASN table and published ranges.</summary>
public enum NetworkKind
{
    /// <summary>Not in any table, or an ordinary access network (home broadband, mobile carrier).</summary>
    Unknown = 0,

    /// <summary>Hosting or cloud: does not carry people, but does carry scanners and crawlers.</summary>
    Datacenter = 1,

    /// <summary>A mail-security vendor's own network or published scanner ranges.</summary>
    Scanner = 2,

    /// <summary>Egress that carries people although it looks like a datacenter (Zscaler, iCloud Private Relay, WARP, carriers).</summary>
    HumanEgress = 3,
}

/// <summary>The network of an address: its ASN (0 when unknown), organisation and kind.</summary>
public readonly record struct NetworkInfo(long Asn, string? Organisation, NetworkKind Kind)
{
    public static NetworkInfo Unknown => default;
}

/// <summary>Looks up an address's network. A binary search over arrays loaded once; safe to call from any thread.</summary>
public interface INetworkLookup
{
    NetworkInfo Lookup(IPAddress address);
}
