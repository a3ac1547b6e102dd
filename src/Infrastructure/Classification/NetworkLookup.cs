using System.Net;
using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Application.Common.Options;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Classification;

/// <summary>
/// An address's network from the shipped ASN table and our lists, with the operator's extra networks on top:
/// <c>HumanCidrs</c>/<c>HumanAsns</c> → <see cref="NetworkKind.HumanEgress"/> first, then
/// <c>ScannerCidrs</c>/<c>ScannerAsns</c> → <see cref="NetworkKind.Scanner"/>, then our CIDRs, then the ASN's kind.
/// </summary>
public sealed class NetworkLookup : INetworkLookup
{
    private readonly AsnTable _table;
    private readonly NetworkLists _lists;
    private readonly ConfiguredNetworks _configured;

    public NetworkLookup(IOptions<ClickClassificationOptions> options)
        : this(options, ClassificationData.DefaultDirectory)
    {
    }

    public NetworkLookup(IOptions<ClickClassificationOptions> options, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        _table = AsnTable.Shared(dataDirectory);
        _lists = NetworkLists.Shared(dataDirectory);
        _configured = new ConfiguredNetworks(options.Value);
    }

    /// <summary>The operator's extra networks, shared with the rule that reports them as <c>configured</c>.</summary>
    public ConfiguredNetworks Configured => _configured;

    public NetworkInfo Lookup(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var (asn, organisation) = _table.Find(address);
        var key = CidrRange.ToKey(address);
        var kind = _configured.Kind(key, asn)
            ?? (CidrRange.AnyContains(_lists.HumanCidrs, key) ? NetworkKind.HumanEgress
                : CidrRange.AnyContains(_lists.ScannerCidrs, key) ? NetworkKind.Scanner
                : _lists.Kinds.GetValueOrDefault(asn, NetworkKind.Unknown));
        return new NetworkInfo(asn, organisation, kind);
    }
}

/// <summary>The operator's extra scanner and human networks (<c>ClickClassification:*Asns</c>, <c>*Cidrs</c>).</summary>
public sealed class ConfiguredNetworks
{
    private readonly HashSet<long> _humanAsns;
    private readonly HashSet<long> _scannerAsns;
    private readonly IReadOnlyList<CidrRange> _humanCidrs;
    private readonly IReadOnlyList<CidrRange> _scannerCidrs;

    public ConfiguredNetworks(ClickClassificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _humanAsns = [.. options.HumanAsns];
        _scannerAsns = [.. options.ScannerAsns];
        _humanCidrs = CidrRange.ParseAll(options.HumanCidrs, $"{ClickClassificationOptions.SectionName}:HumanCidrs");
        _scannerCidrs = CidrRange.ParseAll(options.ScannerCidrs, $"{ClickClassificationOptions.SectionName}:ScannerCidrs");
    }

    /// <summary>The configured kind of an address (human first), or null when configuration says nothing.</summary>
    public NetworkKind? Kind(UInt128 key, long asn) =>
        CidrRange.AnyContains(_humanCidrs, key) || (asn != 0 && _humanAsns.Contains(asn)) ? NetworkKind.HumanEgress
        : IsScanner(key, asn) ? NetworkKind.Scanner
        : null;

    public bool IsScanner(UInt128 key, long asn) =>
        CidrRange.AnyContains(_scannerCidrs, key) || (asn != 0 && _scannerAsns.Contains(asn));

    public bool IsHuman(UInt128 key, long asn) =>
        CidrRange.AnyContains(_humanCidrs, key) || (asn != 0 && _humanAsns.Contains(asn));
}
