using System.Net;
using System.Net.Sockets;

namespace LinkTracking.Domain.Clicks;

/// <summary>IP address rules used for privacy: anonymisation and partial display.</summary>
public static class IpAddresses
{
    /// <summary>IPv4 keeps its first 3 octets (/24), IPv6 its first 48 bits (/48); an IPv4-mapped IPv6 address is treated as IPv4.</summary>
    public static IPAddress Anonymise(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        var keep = address.AddressFamily == AddressFamily.InterNetwork ? 3 : 6;
        Array.Clear(bytes, keep, bytes.Length - keep);
        return new IPAddress(bytes);
    }

    /// <summary>The address with its host part masked, for display: <c>203.0.113.*</c> or <c>2001:db8:85a3:*</c>.</summary>
    public static string Partial(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        return address.AddressFamily == AddressFamily.InterNetwork
            ? $"{bytes[0]}.{bytes[1]}.{bytes[2]}.*"
            : $"{bytes[0] << 8 | bytes[1]:x}:{bytes[2] << 8 | bytes[3]:x}:{bytes[4] << 8 | bytes[5]:x}:*";
    }
}
