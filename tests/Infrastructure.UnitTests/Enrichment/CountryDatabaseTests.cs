using System.Net;
using LinkTracking.Infrastructure.Enrichment;

namespace LinkTracking.Infrastructure.UnitTests.Enrichment;

/// <summary>The shipped DB-IP Lite country database against well-known public resolvers and reserved addresses.</summary>
public sealed class CountryDatabaseTests
{
    private static readonly Lazy<CountryDatabase> Database = new(() => CountryDatabase.Open(Path.Combine(EnrichmentData.DefaultDirectory, EnrichmentData.CountryDatabaseFile)));

    [TestCase("8.8.8.8", "US")]
    [TestCase("2a02:6b8::feed:0ff", "RU")]
    [TestCase("::ffff:8.8.4.4", "US")]
    [TestCase("9.9.9.9", "US")]
    [TestCase("1.1.1.1", "AU")]
    [TestCase("77.88.8.8", "RU")]
    [TestCase("80.80.80.80", "NL")]
    public void Find_GivesTheCountryOfAKnownAddress(string address, string country) =>
        Assert.That(Database.Value.Find(IPAddress.Parse(address)), Is.EqualTo(country));

    [TestCase("10.1.2.3")]
    [TestCase("192.168.0.1")]
    [TestCase("127.0.0.1")]
    [TestCase("::1")]
    public void Find_WhenAddressIsPrivateOrLoopback_IsUnknown(string address) =>
        Assert.That(Database.Value.Find(IPAddress.Parse(address)), Is.Null);

    [Test]
    public void Open_WhenTheFileIsNotAnMmdb_SaysSoNamingIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"corrupt-{Guid.NewGuid():N}.mmdb");
        File.WriteAllBytes(path, new byte[4096]);
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => CountryDatabase.Open(path));
            Assert.That(error!.Message, Does.Contain(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
