using System.Net;
using System.Text.Json;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// Enrichment at ingest over HTTP, on both providers: a redirect and a partner click come out of the export with the
/// country of their address (DB-IP Lite) and the device, browser and OS of their agent (uap-core).
/// </summary>
public sealed class EnrichmentTests(TestProvider provider) : ApiFixture(provider)
{
    private const string IphoneSafari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1";

    [Test]
    public async Task ARedirectAndAPartnerClick_AreStoredWithCountryDeviceBrowserAndOs_AndExported()
    {
        var trackingId = await CreateLinkIdAsync();
        using var redirected = await FollowFromAsync(Anonymous, trackingId, "8.8.8.8");
        Factory.Time.Advance(TimeSpan.FromMinutes(5));
        using var recorded = await PostJsonAsync(Admin, $"{Api}/record-click", new { tracking_id = trackingId, ip_address = "77.88.8.8", user_agent = IphoneSafari });

        using var export = await Admin.GetAsync($"{Api}/clicks/export?format=ndjson&include_bots=true&tracking_id={trackingId}");
        var rows = (await export.Content.ReadAsStringAsync())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .Select(r => (Country: r.GetProperty("country").GetString(), Device: r.GetProperty("device_type").GetString(), Browser: r.GetProperty("browser").GetString(), Os: r.GetProperty("os").GetString()))
            .ToList();
        Assert.Multiple(() =>
        {
            Assert.That(redirected.StatusCode, Is.EqualTo(HttpStatusCode.Found));
            Assert.That(recorded.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(export.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(rows, Is.EqualTo(new[]
            {
                ("US", "desktop", "Chrome", "Windows"),
                ("RU", "mobile", "Mobile Safari", "iOS"),
            }));
        });
    }

    [Test]
    public async Task TheCsvExport_CarriesTheEnrichmentColumns()
    {
        var trackingId = await CreateLinkIdAsync();
        await SeedClicksAsync(Click(trackingId, TimeSpan.FromMinutes(1), ipAddress: "8.8.8.8", userAgent: IphoneSafari));

        using var export = await Admin.GetAsync($"{Api}/clicks/export?format=csv&include_bots=true&tracking_id={trackingId}");
        var rows = Export.Csv.Rows(await export.Content.ReadAsStringAsync());

        Assert.That(rows, Has.Count.EqualTo(1));
        Assert.That(
            new[] { "country", "device_type", "browser", "os" }.Select(column => rows[0][column]),
            Is.EqualTo(new[] { "US", "mobile", "Mobile Safari", "iOS" }));
    }

    [Test]
    public async Task TrackHealth_SaysTheEnrichmentDataIsLoaded()
    {
        using var response = await Anonymous.GetAsync("/track/health");

        var enrichment = (await ReadJsonAsync(response)).GetProperty("checks").GetProperty("enrichment");
        Assert.That(enrichment.GetProperty("status").GetString(), Is.EqualTo("healthy"));
        Assert.That(enrichment.GetProperty("data").GetProperty("country_database").GetString(), Is.EqualTo("loaded"));
        Assert.That(enrichment.GetProperty("data").GetProperty("user_agent_rules").GetString(), Is.EqualTo("loaded"));
    }

    /// <summary>Follows a tracked link as a browser at <paramref name="address"/> would.</summary>
    internal static async Task<HttpResponseMessage> FollowFromAsync(HttpClient browser, string trackingId, string address)
    {
        using var redirect = new HttpRequestMessage(HttpMethod.Get, $"/track/{trackingId}");
        redirect.Headers.Add(LinkTrackingApiFactory.RemoteIpHeader, address);
        return await browser.SendAsync(redirect);
    }
}

/// <summary>Without its data files the service still records every click, their enrichment unknown, and says why.</summary>
public sealed class EnrichmentWithoutDataTests(TestProvider provider) : ApiFixture(provider)
{
    private static readonly string EmptyDirectory = Directory.CreateTempSubdirectory("no-enrichment-data-").FullName;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ClickEnrichment:DataDirectory"] = EmptyDirectory,
    };

    [Test]
    public async Task WithoutTheDataFiles_ClicksAreRecordedUnknown_AndHealthIsDegradedNamingTheFile()
    {
        var trackingId = await CreateLinkIdAsync();
        using var redirected = await EnrichmentTests.FollowFromAsync(Anonymous, trackingId, "8.8.8.8");

        using var health = await Anonymous.GetAsync("/track/health");
        var enrichment = (await ReadJsonAsync(health)).GetProperty("checks").GetProperty("enrichment");
        using var export = await Admin.GetAsync($"{Api}/clicks/export?format=ndjson&include_bots=true&tracking_id={trackingId}");
        var row = JsonDocument.Parse((await export.Content.ReadAsStringAsync()).Trim()).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(redirected.StatusCode, Is.EqualTo(HttpStatusCode.Found));
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), "degraded, not unhealthy");
            Assert.That(enrichment.GetProperty("status").GetString(), Is.EqualTo("degraded"));
            Assert.That(enrichment.GetProperty("description").GetString(), Does.Contain("dbip-country.mmdb.gz"));
            Assert.That(row.GetProperty("country").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(row.GetProperty("device_type").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }
}
