using System.Net;
using System.Net.Sockets;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Infrastructure.Classification;

/// <summary>An inclusive address range from CIDR notation, over one 128-bit space (IPv4 as IPv4-mapped IPv6).</summary>
public readonly record struct CidrRange(UInt128 First, UInt128 Last)
{
    public static bool TryParse(string? text, out CidrRange range)
    {
        range = default;
        if (string.IsNullOrWhiteSpace(text) || !IPNetwork.TryParse(text.Trim(), out var network))
        {
            return false;
        }

        var first = ToKey(network.BaseAddress);
        var hostBits = (network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128) - network.PrefixLength;
        var size = hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
        range = new CidrRange(first, first + size);
        return true;
    }

    /// <summary>Parses a list of CIDRs from configuration, naming the bad entry and its setting when one does not parse.</summary>
    public static IReadOnlyList<CidrRange> ParseAll(IEnumerable<string> cidrs, string setting)
    {
        var ranges = new List<CidrRange>();
        foreach (var cidr in cidrs)
        {
            if (!TryParse(cidr, out var range))
            {
                throw new InvalidOperationException($"{setting}: '{cidr}' is not a CIDR range (e.g. 203.0.113.0/24 or 2001:db8::/32).");
            }

            ranges.Add(range);
        }

        return ranges;
    }

    /// <summary>The address as a 128-bit number; IPv4 (and IPv4-mapped IPv6) in the ::ffff:0:0/96 block.</summary>
    public static UInt128 ToKey(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        address = IpAddresses.Normalise(address);

        return address.AddressFamily == AddressFamily.InterNetwork
            ? new UInt128(0, 0xFFFF_0000_0000UL | AsnTable.ToUInt32(address))
            : AsnTable.ToUInt128(address);
    }

    public bool Contains(UInt128 key) => key >= First && key <= Last;

    public static bool AnyContains(IReadOnlyList<CidrRange> ranges, UInt128 key)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        for (var i = 0; i < ranges.Count; i++)
        {
            if (ranges[i].Contains(key))
            {
                return true;
            }
        }

        return false;
    }
}
