using System.Globalization;
using System.Net;
using System.Net.Sockets;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Infrastructure.Classification;

/// <summary>
/// The IP→ASN table from <c>@ip-location-db/asn</c> (CC BY 4.0: RouteViews, NRO, DB-IP): sorted, non-overlapping
/// inclusive ranges in parallel arrays, searched by binary search. Loaded once per process and data folder
/// (<see cref="Shared"/>), since every host of a test run would otherwise read the same 5 MB of gzip again.
/// </summary>
public sealed class AsnTable
{
    private static readonly PerDirectoryCache<AsnTable> Cache = new(Load);

    private readonly uint[] _v4Starts;
    private readonly uint[] _v4Ends;
    private readonly uint[] _v4Asns;
    private readonly UInt128[] _v6Starts;
    private readonly UInt128[] _v6Ends;
    private readonly uint[] _v6Asns;
    private readonly Dictionary<uint, string> _names;

    private AsnTable(uint[] v4Starts, uint[] v4Ends, uint[] v4Asns, UInt128[] v6Starts, UInt128[] v6Ends, uint[] v6Asns, Dictionary<uint, string> names)
    {
        _v4Starts = v4Starts;
        _v4Ends = v4Ends;
        _v4Asns = v4Asns;
        _v6Starts = v6Starts;
        _v6Ends = v6Ends;
        _v6Asns = v6Asns;
        _names = names;
    }

    public int Ipv4Ranges => _v4Starts.Length;

    public int Ipv6Ranges => _v6Starts.Length;

    public IReadOnlyDictionary<uint, string> Organisations => _names;

    /// <summary>The table of a data folder, loaded on first use and kept for the life of the process.</summary>
    public static AsnTable Shared(string directory) => Cache.Get(directory);

    /// <summary>Reads the three files of a data folder (no caching).</summary>
    public static AsnTable Load(string directory)
    {
        var v4Path = ClassificationData.RequireFile(directory, ClassificationData.AsnIpv4File);
        var v6Path = ClassificationData.RequireFile(directory, ClassificationData.AsnIpv6File);
        var namesPath = ClassificationData.RequireFile(directory, ClassificationData.AsnNamesFile);

        var v4Starts = new List<uint>(420_000);
        var v4Ends = new List<uint>(420_000);
        var v4Asns = new List<uint>(420_000);
        foreach (var line in ClassificationData.ReadGzipLines(v4Path))
        {
            var (start, end, asn) = Split(line, v4Path);
            if (!uint.TryParse(start, NumberStyles.None, CultureInfo.InvariantCulture, out var s)
                || !uint.TryParse(end, NumberStyles.None, CultureInfo.InvariantCulture, out var e))
            {
                throw ClassificationData.Corrupt(v4Path, $"bad IPv4 range in line '{line}'");
            }

            Add(v4Starts, v4Ends, v4Asns, s, e, asn, v4Path, line);
        }

        var v6Starts = new List<UInt128>(110_000);
        var v6Ends = new List<UInt128>(110_000);
        var v6Asns = new List<uint>(110_000);
        foreach (var line in ClassificationData.ReadGzipLines(v6Path))
        {
            var (start, end, asn) = Split(line, v6Path);
            if (!UInt128.TryParse(start, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var s)
                || !UInt128.TryParse(end, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var e))
            {
                throw ClassificationData.Corrupt(v6Path, $"bad IPv6 range in line '{line}'");
            }

            Add(v6Starts, v6Ends, v6Asns, s, e, asn, v6Path, line);
        }

        var names = new Dictionary<uint, string>(100_000);
        foreach (var line in ClassificationData.ReadGzipLines(namesPath))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var comma = line.IndexOf(',', StringComparison.Ordinal);
            if (comma <= 0 || !uint.TryParse(line.AsSpan(0, comma), NumberStyles.None, CultureInfo.InvariantCulture, out var asn))
            {
                throw ClassificationData.Corrupt(namesPath, $"bad line '{line}'");
            }

            var name = line[(comma + 1)..];
            if (name.StartsWith('"'))
            {
                name = name[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal);
            }

            names[asn] = string.Intern(name);
        }

        if (v4Starts.Count == 0 || v6Starts.Count == 0 || names.Count == 0)
        {
            throw ClassificationData.Corrupt(v4Starts.Count == 0 ? v4Path : v6Starts.Count == 0 ? v6Path : namesPath, "no rows");
        }

        return new AsnTable([.. v4Starts], [.. v4Ends], [.. v4Asns], [.. v6Starts], [.. v6Ends], [.. v6Asns], names);
    }

    /// <summary>The ASN (0 when the address is in no range) and organisation of an address.</summary>
    public (uint Asn, string? Organisation) Find(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var asn = 0u;
        address = IpAddresses.Normalise(address);

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            asn = Search(_v4Starts, _v4Ends, _v4Asns, ToUInt32(address));
        }
        else if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            asn = Search(_v6Starts, _v6Ends, _v6Asns, ToUInt128(address));
        }

        return asn == 0 ? (0, null) : (asn, _names.GetValueOrDefault(asn));
    }

    internal static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return (uint)bytes[0] << 24 | (uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3];
    }

    internal static UInt128 ToUInt128(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        var high = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes);
        var low = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        return new UInt128(high, low);
    }

    private static uint Search<T>(T[] starts, T[] ends, uint[] asns, T value)
        where T : IComparable<T>
    {
        // The last range starting at or before the value; a hit when the value is within its end.
        var index = Array.BinarySearch(starts, value);
        if (index < 0)
        {
            index = ~index - 1;
        }

        return index >= 0 && value.CompareTo(ends[index]) <= 0 ? asns[index] : 0;
    }

    private static (string Start, string End, uint Asn) Split(string line, string path)
    {
        var first = line.IndexOf(',', StringComparison.Ordinal);
        var second = first < 0 ? -1 : line.IndexOf(',', first + 1);
        if (second < 0 || !uint.TryParse(line.AsSpan(second + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var asn))
        {
            throw ClassificationData.Corrupt(path, $"bad line '{line}'");
        }

        return (line[..first], line[(first + 1)..second], asn);
    }

    private static void Add<T>(List<T> starts, List<T> ends, List<uint> asns, T start, T end, uint asn, string path, string line)
        where T : IComparable<T>
    {
        if (end.CompareTo(start) < 0 || (starts.Count > 0 && start.CompareTo(ends[^1]) <= 0))
        {
            throw ClassificationData.Corrupt(path, $"ranges not sorted or overlapping at line '{line}'");
        }

        starts.Add(start);
        ends.Add(end);
        asns.Add(asn);
    }
}
