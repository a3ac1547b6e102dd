using System.Net;
using System.Text;
using System.Text.Json;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// Partner ingest over HTTP, on both providers: <c>record-clicks</c> takes a 1 MiB body (other routes 64 KiB), and a
/// retry with a known <c>event_id</c> is answered with the click as first stored — also while that click is still in
/// the journal (the mover here runs once an hour; queries flush it).
/// </summary>
public sealed class PartnerIngestTests(TestProvider provider) : ApiFixture(provider)
{
    private const string LongAgent = "Mozilla/5.0 (Linux; Android 14; SM-S928B Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/131.0.6778.135 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/493.0.0.56.81;IABMV/1;] LinkedInApp/9.30.2045";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ClickPipeline:MoveInterval"] = "01:00:00",
    };

    [Test]
    public async Task RecordClicks_WithAThousandRealisticClicksPast64KiB_StoresThemAll()
    {
        var trackingId = await CreateLinkIdAsync();
        var clicks = Enumerable.Range(0, 1000).Select(i => new
        {
            tracking_id = trackingId,
            clicked_at = Now - TimeSpan.FromSeconds(i),
            ip_address = $"73.162.{i / 250}.{(i % 250) + 1}",
            user_agent = LongAgent,
            referrer_url = $"https://www.linkedin.com/feed/update/urn:li:activity:{7200000000000000000L + i}/?utm_source=share&utm_medium=member_android",
            session_id = $"session-{i:D6}",
            event_id = $"evt-{i:D6}-{Guid.NewGuid():N}",
        }).ToArray();
        using var body = Json(new { clicks });

        using var response = await Admin.PostAsync($"{Api}/record-clicks", body);

        var result = await ReadJsonAsync(response);
        Assert.That(body.Headers.ContentLength, Is.InRange(64 * 1024 + 1, 1024 * 1024), "the body is past the 64 KiB of other routes");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(result.GetProperty("accepted").GetInt32(), Is.EqualTo(1000));
        Assert.That((await GetStatisticsAsync(trackingId, "?include_bots=true")).GetProperty("total_clicks").GetInt32(), Is.EqualTo(1000));
    }

    [Test]
    public async Task RecordClicks_PastOneMiB_Is413()
    {
        using var body = new StringContent("{\"clicks\":[\"" + new string('x', 1024 * 1024) + "\"]}", Encoding.UTF8, "application/json");

        using var response = await Admin.PostAsync($"{Api}/record-clicks", body);

        var problem = await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("1048576"));
    }

    [TestCase("record-click")]
    [TestCase("create")]
    public async Task OtherRoutes_StillRefuseBodiesPast64KiB(string route)
    {
        var trackingId = await CreateLinkIdAsync();
        using var body = Json(new { tracking_id = trackingId, original_url = "https://example.com/a", link_function = "Portfolio", metadata = new { padding = new string('x', 70 * 1024) } });

        using var response = await Admin.PostAsync($"{Api}/{route}", body);

        var problem = await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("65536"));
    }

    [Test]
    public async Task ARetryWithAKnownEventId_WhileTheFirstIsStillInTheJournal_GetsTheStoredClickAndStoresNothing()
    {
        var trackingId = await CreateLinkIdAsync();
        using var first = await PostJsonAsync(Admin, $"{Api}/record-click", new { tracking_id = trackingId, event_id = "evt-retry", ip_address = "73.162.10.20" });
        var firstReceipt = await ReadJsonAsync(first);
        var spooled = await SpoolBytesAsync();
        Factory.Time.Advance(TimeSpan.FromMinutes(3));

        using var retry = await PostJsonAsync(Admin, $"{Api}/record-click", new { tracking_id = trackingId, event_id = "evt-retry", ip_address = "73.162.10.20" });
        using var batchRetry = await PostJsonAsync(Admin, $"{Api}/record-clicks", new { clicks = new[] { new { tracking_id = trackingId, event_id = "evt-retry" } } });
        var retryReceipt = await ReadJsonAsync(retry);
        var batchReceipt = (await ReadJsonAsync(batchRetry)).GetProperty("results")[0];

        var exported = await ExportAsync(trackingId);
        Assert.Multiple(() =>
        {
            Assert.That(spooled, Is.GreaterThan(0), "the first click was still in the journal when the retries came");
            Assert.That((first.StatusCode, retry.StatusCode), Is.EqualTo((HttpStatusCode.Created, HttpStatusCode.Created)));
            Assert.That(Receipt(retryReceipt), Is.EqualTo(Receipt(firstReceipt)));
            Assert.That(Receipt(batchReceipt), Is.EqualTo(Receipt(firstReceipt)));
            Assert.That(batchReceipt.GetProperty("status").GetInt32(), Is.EqualTo(201));
            Assert.That(exported, Has.Count.EqualTo(1));
            Assert.That(exported[0].GetProperty("click_id").GetString(), Is.EqualTo(firstReceipt.GetProperty("click_id").GetString()));
            Assert.That(exported[0].GetProperty("clicked_at").GetDateTime(), Is.EqualTo(firstReceipt.GetProperty("clicked_at").GetDateTime()));
        });
    }

    [Test]
    public async Task ARetryHoursLater_AfterTheFirstWasMovedIntoTheDatabase_GetsTheStoredClick()
    {
        var trackingId = await CreateLinkIdAsync();
        using var first = await PostJsonAsync(Admin, $"{Api}/record-clicks", new { clicks = new[] { new { tracking_id = trackingId, event_id = "evt-db" } } });
        var firstReceipt = (await ReadJsonAsync(first)).GetProperty("results")[0];
        await ExportAsync(trackingId); // a query moves the journal into the database
        Factory.Time.Advance(TimeSpan.FromHours(2));

        using var retry = await PostJsonAsync(Admin, $"{Api}/record-click", new { tracking_id = trackingId, event_id = "evt-db" });

        Assert.That(Receipt(await ReadJsonAsync(retry)), Is.EqualTo(Receipt(firstReceipt)));
        Assert.That(await ExportAsync(trackingId), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task TheSameEventTwiceInOneBatch_IsStoredOnce_AndBothAnswersAreTheFirst()
    {
        var trackingId = await CreateLinkIdAsync();
        var clicks = new object[]
        {
            new { tracking_id = trackingId, event_id = "evt-twice", clicked_at = Now - TimeSpan.FromMinutes(2) },
            new { tracking_id = trackingId, event_id = "evt-twice", clicked_at = Now - TimeSpan.FromMinutes(1) },
        };

        using var response = await PostJsonAsync(Admin, $"{Api}/record-clicks", new { clicks });

        var results = (await ReadJsonAsync(response)).GetProperty("results");
        Assert.That(Receipt(results[1]), Is.EqualTo(Receipt(results[0])));
        Assert.That(results[0].GetProperty("clicked_at").GetDateTime(), Is.EqualTo((Now - TimeSpan.FromMinutes(2)).UtcDateTime));
        Assert.That(await ExportAsync(trackingId), Has.Count.EqualTo(1));
    }

    private static (string?, string?) Receipt(JsonElement receipt) =>
        (receipt.GetProperty("click_id").GetString(), receipt.GetProperty("clicked_at").GetString());

    private static StringContent Json(object body) =>
        new StringContent(JsonSerializer.Serialize(body, LinkTrackingApiFactory.Json), Encoding.UTF8, "application/json");

    private async Task<long> SpoolBytesAsync()
    {
        using var health = await Anonymous.GetAsync("/track/health");
        return (await ReadJsonAsync(health)).GetProperty("checks").GetProperty("click_queue").GetProperty("data").GetProperty("spool_bytes").GetInt64();
    }

    private async Task<List<JsonElement>> ExportAsync(string trackingId)
    {
        using var export = await Admin.GetAsync($"{Api}/clicks/export?format=ndjson&include_bots=true&tracking_id={trackingId}");
        Assert.That(export.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return (await export.Content.ReadAsStringAsync())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToList();
    }
}
