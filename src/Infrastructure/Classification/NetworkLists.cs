using System.Text.Json;
using LinkTracking.Application.Clicks.Classification;

namespace LinkTracking.Infrastructure.Classification;

/// <summary>
/// Our hand-maintained network lists (<c>networks.json</c>) joined with the ASN table's organisation names: the kind
/// of every ASN that has one, worked out once per process and data folder.
/// </summary>
public sealed class NetworkLists
{
    private static readonly PerDirectoryCache<NetworkLists> Cache = new(k => Load(k, AsnTable.Shared(k)));

    private NetworkLists(Dictionary<long, NetworkKind> kinds, IReadOnlyList<CidrRange> scannerCidrs, IReadOnlyList<CidrRange> humanCidrs)
    {
        Kinds = kinds;
        ScannerCidrs = scannerCidrs;
        HumanCidrs = humanCidrs;
    }

    /// <summary>The kind of each ASN that is not an ordinary access network (listed, or named like a host).</summary>
    public IReadOnlyDictionary<long, NetworkKind> Kinds { get; }

    public IReadOnlyList<CidrRange> ScannerCidrs { get; }

    public IReadOnlyList<CidrRange> HumanCidrs { get; }

    public static NetworkLists Shared(string directory) => Cache.Get(directory);

    public static NetworkLists Load(string directory, AsnTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var path = ClassificationData.RequireFile(directory, ClassificationData.NetworksFile);
        NetworksFile file;
        try
        {
            file = JsonSerializer.Deserialize<NetworksFile>(File.ReadAllText(path), JsonOptions)
                ?? throw ClassificationData.Corrupt(path, "empty document");
        }
        catch (JsonException e)
        {
            throw ClassificationData.Corrupt(path, e.Message, e);
        }

        var kinds = new Dictionary<long, NetworkKind>();
        var datacenterWords = file.DatacenterOrganisationWords ?? [];
        var accessWords = file.AccessOrganisationWords ?? [];
        foreach (var (asn, name) in table.Organisations)
        {
            if (datacenterWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase))
                && !accessWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase)))
            {
                kinds[asn] = NetworkKind.Datacenter;
            }
        }

        // Listed ASNs override the name heuristic; a later list wins over an earlier one.
        Mark(kinds, file.Datacenter, NetworkKind.Datacenter, path);
        Mark(kinds, file.Scanner, NetworkKind.Scanner, path);
        Mark(kinds, file.HumanEgress, NetworkKind.HumanEgress, path);
        return new NetworkLists(kinds, Parse(file.ScannerCidrs, path), Parse(file.HumanCidrs, path));
    }

    private static void Mark(Dictionary<long, NetworkKind> kinds, List<ListedNetwork>? list, NetworkKind kind, string path)
    {
        foreach (var entry in list ?? [])
        {
            if (entry.Asn <= 0)
            {
                throw ClassificationData.Corrupt(path, $"ASN {entry.Asn} ({entry.Org}) is not a positive number");
            }

            kinds[entry.Asn] = kind;
        }
    }

    private static List<CidrRange> Parse(List<string>? cidrs, string path)
    {
        var ranges = new List<CidrRange>();
        foreach (var cidr in cidrs ?? [])
        {
            if (!CidrRange.TryParse(cidr, out var range))
            {
                throw ClassificationData.Corrupt(path, $"'{cidr}' is not a CIDR range");
            }

            ranges.Add(range);
        }

        return ranges;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip };

    private sealed record ListedNetwork(long Asn, string? Org, string? Why);

    private sealed record NetworksFile(
        List<ListedNetwork>? Scanner,
        List<ListedNetwork>? Datacenter,
        List<ListedNetwork>? HumanEgress,
        List<string>? ScannerCidrs,
        List<string>? HumanCidrs,
        List<string>? DatacenterOrganisationWords,
        List<string>? AccessOrganisationWords);
}
