using System.Globalization;
using System.Net;
using System.Net.Sockets;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Application.Clicks.Classification;

/// <summary>
/// The origin a click is grouped by for bursts and decoys: for hosting and scanner networks the ASN (a scanner
/// fetches from a pool of addresses in its own network), otherwise the /24 (IPv4) or /48 (IPv6) around the address
/// — the same prefix the IP anonymisation keeps, so an origin reveals nothing the stored address does not.
/// </summary>
public static class ClickOrigin
{
    public static string? Of(IPAddress? address, NetworkInfo network)
    {
        if (address is null)
        {
            return null;
        }

        if (network.Asn > 0 && network.Kind is NetworkKind.Datacenter or NetworkKind.Scanner)
        {
            return "AS" + network.Asn.ToString(CultureInfo.InvariantCulture);
        }

        address = IpAddresses.Normalise(address);

        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{bytes[0]}.{bytes[1]}.{bytes[2]}.0/24");
        }

        Array.Clear(bytes, 6, bytes.Length - 6);
        return new IPAddress(bytes) + "/48";
    }
}
