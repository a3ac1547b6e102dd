using System.IO.Compression;
using System.Net;
using System.Text.Json;
using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Application.Common.Options;
using LinkTracking.Infrastructure.Classification;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.UnitTests.Classification;

public sealed class NetworkLookupTests
{
    [TestCase("40.94.25.10", 8075, NetworkKind.Datacenter)]
    [TestCase("3.80.0.10", 14618, NetworkKind.Datacenter)]
    [TestCase("66.159.228.10", 22843, NetworkKind.Scanner)]
    [TestCase("165.225.20.10", 62044, NetworkKind.HumanEgress)]
    [TestCase("172.224.7.10", 36183, NetworkKind.HumanEgress)]
    [TestCase("104.28.1.1", 13335, NetworkKind.HumanEgress)]
    [TestCase("73.15.20.30", 7922, NetworkKind.Unknown)]
    [TestCase("172.56.20.10", 21928, NetworkKind.Unknown)]
    [TestCase("::ffff:66.159.228.10", 22843, NetworkKind.Scanner)]
    [TestCase("2620:0:2900::1", 22843, NetworkKind.Scanner)]
    [TestCase("2001:558::1", 7922, NetworkKind.Unknown)]
    public void Lookup_WhenAddressIsInTable_GivesItsAsnAndKind(string address, long asn, NetworkKind kind)
    {
        var lookup = Clicks.Lookup();

        var info = lookup.Lookup(IPAddress.Parse(address));

        Assert.That(info.Asn, Is.EqualTo(asn));
        Assert.That(info.Kind, Is.EqualTo(kind));
        Assert.That(info.Organisation, Is.Not.Empty);
    }

    [TestCase("10.1.2.3")]
    [TestCase("127.0.0.1")]
    [TestCase("fe80::1")]
    public void Lookup_WhenAddressIsPrivate_IsUnknown(string address)
    {
        var info = Clicks.Lookup().Lookup(IPAddress.Parse(address));

        Assert.That(info, Is.EqualTo(NetworkInfo.Unknown));
    }

    [Test]
    public void Lookup_WhenHostingNameHeuristicMatches_IsDatacenter()
    {
        // Hetzner is listed; the heuristic is checked on an unlisted host: any ASN whose name says hosting.
        var lists = NetworkLists.Shared(ClassificationData.DefaultDirectory);
        var table = AsnTable.Shared(ClassificationData.DefaultDirectory);
        var hosting = table.Organisations.First(o => o.Value.Contains("Hosting", StringComparison.Ordinal) && !o.Value.Contains("Telecom", StringComparison.Ordinal));

        Assert.That(lists.Kinds[hosting.Key], Is.EqualTo(NetworkKind.Datacenter), hosting.Value);
        Assert.That(lists.Kinds.ContainsKey(7922L), Is.False, "Comcast is an access network");
    }

    [Test]
    public void Lookup_WhenOperatorDeclaresHumanCidr_ItOverridesTheScannerList()
    {
        var lookup = Clicks.Lookup(o => o.HumanCidrs.Add("66.159.228.0/24"));

        var info = lookup.Lookup(IPAddress.Parse("66.159.228.10"));

        Assert.That(info.Kind, Is.EqualTo(NetworkKind.HumanEgress));
    }

    [Test]
    public void Lookup_WhenOperatorDeclaresScannerAsnAndIpv6Cidr_TheyAreScanners()
    {
        var lookup = Clicks.Lookup(o =>
        {
            o.ScannerAsns.Add(7922);
            o.ScannerCidrs.Add("2001:db8::/32");
        });

        Assert.That(lookup.Lookup(Clicks.HomeIsp).Kind, Is.EqualTo(NetworkKind.Scanner));
        Assert.That(lookup.Lookup(IPAddress.Parse("2001:db8::5")).Kind, Is.EqualTo(NetworkKind.Scanner));
    }

    [Test]
    public void ListedAsns_HaveTheOrganisationNamesOfTheTable()
    {
        var table = AsnTable.Shared(ClassificationData.DefaultDirectory);
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(ClassificationData.DefaultDirectory, ClassificationData.NetworksFile)));
        var mismatches = new List<string>();

        foreach (var list in new[] { "scanner", "datacenter", "humanEgress" })
        {
            foreach (var entry in document.RootElement.GetProperty(list).EnumerateArray())
            {
                var asn = entry.GetProperty("asn").GetUInt32();
                var org = entry.GetProperty("org").GetString();
                if (table.Organisations.GetValueOrDefault(asn) != org)
                {
                    mismatches.Add($"{list} AS{asn}: listed '{org}', table '{table.Organisations.GetValueOrDefault(asn)}'");
                }
            }
        }

        Assert.That(mismatches, Is.Empty);
    }

    [Test]
    public void Shared_LoadsTheTableOncePerDirectory()
    {
        var first = AsnTable.Shared(ClassificationData.DefaultDirectory);

        var second = AsnTable.Shared(ClassificationData.DefaultDirectory + Path.DirectorySeparatorChar);

        Assert.That(second, Is.SameAs(first));
        Assert.That(first.Ipv4Ranges, Is.GreaterThan(300_000));
        Assert.That(first.Ipv6Ranges, Is.GreaterThan(50_000));
    }

    [TestCase(ClassificationData.AsnIpv4File)]
    [TestCase(ClassificationData.AsnNamesFile)]
    [TestCase(ClassificationData.NetworksFile)]
    public void Construct_WhenDataFileIsMissing_FailsNamingTheFile(string file)
    {
        using var copy = new DataCopy();
        File.Delete(Path.Combine(copy.Directory, file));

        var error = Assert.Throws<InvalidOperationException>(() => new NetworkLookup(Options.Create(new ClickClassificationOptions()), copy.Directory));

        Assert.That(error!.Message, Does.Contain(file).And.Contain("missing"));
    }

    [Test]
    public void Construct_WhenAsnFileIsNotGzip_FailsNamingTheFile()
    {
        using var copy = new DataCopy();
        File.WriteAllText(Path.Combine(copy.Directory, ClassificationData.AsnIpv6File), "garbage");

        var error = Assert.Throws<InvalidOperationException>(() => new NetworkLookup(Options.Create(new ClickClassificationOptions()), copy.Directory));

        Assert.That(error!.Message, Does.Contain(ClassificationData.AsnIpv6File).And.Contain("corrupt"));
    }

    [Test]
    public void Construct_WhenAsnRangesAreUnsorted_FailsNamingTheFile()
    {
        using var copy = new DataCopy();
        using (var gzip = new GZipStream(File.Create(Path.Combine(copy.Directory, ClassificationData.AsnIpv4File)), CompressionLevel.Fastest))
        using (var writer = new StreamWriter(gzip))
        {
            writer.Write("200,300,13335\n100,150,13335\n");
        }

        var error = Assert.Throws<InvalidOperationException>(() => new NetworkLookup(Options.Create(new ClickClassificationOptions()), copy.Directory));

        Assert.That(error!.Message, Does.Contain(ClassificationData.AsnIpv4File).And.Contain("sorted"));
    }

    [TestCase(ClassificationData.IsbotPatternFile)]
    [TestCase(ClassificationData.CrawlerUserAgentsFile)]
    [TestCase(ClassificationData.AgentsFile)]
    public void AgentMatcher_WhenDataFileIsMissing_FailsNamingTheFile(string file)
    {
        using var copy = new DataCopy();
        File.Delete(Path.Combine(copy.Directory, file));

        var error = Assert.Throws<InvalidOperationException>(() => new AgentMatcher(Options.Create(new ClickClassificationOptions()), copy.Directory));

        Assert.That(error!.Message, Does.Contain(file).And.Contain("missing"));
    }

    [Test]
    public void AgentMatcher_WhenListIsNotJson_FailsNamingTheFile()
    {
        using var copy = new DataCopy();
        File.WriteAllText(Path.Combine(copy.Directory, ClassificationData.AgentsFile), "{ not json");

        var error = Assert.Throws<InvalidOperationException>(() => new AgentMatcher(Options.Create(new ClickClassificationOptions()), copy.Directory));

        Assert.That(error!.Message, Does.Contain(ClassificationData.AgentsFile).And.Contain("corrupt"));
    }

    /// <summary>A private copy of the data folder that a test may break.</summary>
    private sealed class DataCopy : IDisposable
    {
        public DataCopy()
        {
            Directory = Path.Combine(Path.GetTempPath(), "classification-data-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(Directory);
            foreach (var file in System.IO.Directory.GetFiles(ClassificationData.DefaultDirectory))
            {
                File.Copy(file, Path.Combine(Directory, Path.GetFileName(file)));
            }
        }

        public string Directory { get; }

        public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
    }
}
