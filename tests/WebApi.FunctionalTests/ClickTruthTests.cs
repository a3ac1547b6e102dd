using System.Net;
using System.Text.Json;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// Click truth end to end over HTTP, on both providers: a mail scanner fetching a whole application package on
/// delivery, a burst that looked human click by click, a decoy hit, and a person's click that must stay human.
/// Addresses come from the shipped IP→ASN table: 3.80.10.20 is Amazon (AS14618), 73.162.10.20 and 23.24.5.6 are
/// Comcast home broadband (AS7922).
/// </summary>
public sealed class ClickTruthTests(TestProvider provider) : ApiFixture(provider)
{
    private const string Aws = "3.80.10.20";
    private const string Home = "73.162.10.20";
    private const string OtherHome = "23.24.5.6";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["LinkTracking:StandardLinks:LinkedIn"] = "https://www.linkedin.com/in/jane-doe",
        ["LinkTracking:StandardLinks:Calendly"] = "https://calendly.com/jane-doe",
        ["LinkTracking:StandardLinks:Portfolio"] = "https://jane.example.com/",
    };

    [Test]
    public async Task AScannerFetchingAllFiveLinksOnDelivery_AndAPersonClickingOneTenMinutesLater_CountsOneHumanClick()
    {
        var applicationId = Guid.NewGuid();
        var sentAt = Factory.Time.GetUtcNow();
        var package = await CreatePackageAsync(applicationId, new { sent_at = sentAt, job_data = JobData });
        Assert.That(package, Has.Count.EqualTo(5));

        // On delivery a gateway fetches every link within two seconds, from a cloud address, with a browser's headers.
        foreach (var url in package.Values)
        {
            await FollowAsync(url, Aws);
            Factory.Time.Advance(TimeSpan.FromMilliseconds(400));
        }

        Factory.Time.Advance(TimeSpan.FromMinutes(10));
        await FollowAsync(package["LinkedIn"], Home);

        var linkedIn = await GetStatisticsAsync(TrackingIdOf(package["LinkedIn"]));
        var others = await Task.WhenAll(package.Where(p => p.Key != "LinkedIn").Select(p => GetStatisticsAsync(TrackingIdOf(p.Value))));
        var summary = await GetJsonAsync($"{Api}/applications/{applicationId}/summary");
        var withBots = await GetJsonAsync($"{Api}/analytics/{TrackingIdOf(package["Calendly"])}?include_bots=true");
        using var export = await Admin.GetAsync($"{Api}/clicks/export?format=ndjson&include_bots=true&application_id={applicationId}");
        var exported = (await export.Content.ReadAsStringAsync())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToList();
        var scannerRows = exported.Where(r => r.GetProperty("bot_category").GetString() == "scanner").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(exported, Has.Count.EqualTo(6));
            Assert.That(scannerRows.Select(r => r.GetProperty("tracking_id").GetString()), Is.EquivalentTo(package.Values.Select(TrackingIdOf)));
            Assert.That(scannerRows.Select(r => r.GetProperty("signals").EnumerateArray().Select(s => s.GetString()).ToList()), Has.All.Contains("burst"));
            Assert.That(linkedIn.GetProperty("total_clicks").GetInt32(), Is.EqualTo(1));
            Assert.That(linkedIn.GetProperty("bot_clicks").GetInt32(), Is.EqualTo(1));
            Assert.That(others.Select(s => s.GetProperty("total_clicks").GetInt32()), Is.All.Zero);
            Assert.That(summary.GetProperty("total_clicks").GetInt32(), Is.EqualTo(1));
            Assert.That(Categories(summary), Is.EqualTo(new Dictionary<string, int> { ["human"] = 1, ["scanner"] = 5, ["crawler"] = 0, ["preview"] = 0, ["monitor"] = 0 }));
            var scannerClick = withBots.GetProperty("recent_clicks")[0];
            Assert.That(scannerClick.GetProperty("bot_category").GetString(), Is.EqualTo("scanner"));
            Assert.That(Signals(scannerClick), Does.Contain("soon_after_send").And.Contain("burst"));
        });
    }

    [Test]
    public async Task ABurstThatLookedHumanClickByClick_IsReclassifiedAsAScanner_AndALaterPersonIsNot()
    {
        var applicationId = Guid.NewGuid();
        var package = await CreatePackageAsync(applicationId, new { job_data = JobData });

        // A home address with a browser's headers: each click alone looks like a person.
        foreach (var function in new[] { "LinkedIn", "Calendly", "Portfolio" })
        {
            await FollowAsync(package[function], Home);
            Factory.Time.Advance(TimeSpan.FromSeconds(1));
        }

        Factory.Time.Advance(TimeSpan.FromMinutes(30));
        await FollowAsync(package["Portfolio"], OtherHome);

        var summary = await GetJsonAsync($"{Api}/applications/{applicationId}/summary");
        var linkedIn = await GetJsonAsync($"{Api}/analytics/{TrackingIdOf(package["LinkedIn"])}?include_bots=true");
        Assert.Multiple(() =>
        {
            Assert.That(summary.GetProperty("total_clicks").GetInt32(), Is.EqualTo(1));
            Assert.That(Categories(summary)["scanner"], Is.EqualTo(3));
            Assert.That(linkedIn.GetProperty("recent_clicks")[0].GetProperty("bot_category").GetString(), Is.EqualTo("scanner"));
            Assert.That(Signals(linkedIn.GetProperty("recent_clicks")[0])[0], Is.EqualTo("burst"));
        });
    }

    [Test]
    public async Task ADecoyHit_ReclassifiesThatOriginsEarlierClicksOnTheApplication_AndNobodyElses()
    {
        var applicationId = Guid.NewGuid();
        var (package, decoyUrl) = await CreatePackageWithDecoyAsync(applicationId);

        await FollowAsync(package["LinkedIn"], Home);
        await FollowAsync(package["Calendly"], OtherHome);
        Factory.Time.Advance(TimeSpan.FromMinutes(5));
        await FollowAsync(decoyUrl, Home);

        var summary = await GetJsonAsync($"{Api}/applications/{applicationId}/summary");
        var linkedIn = await GetJsonAsync($"{Api}/analytics/{TrackingIdOf(package["LinkedIn"])}?include_bots=true");
        Assert.Multiple(() =>
        {
            Assert.That(package.Keys, Does.Not.Contain("Decoy"));
            Assert.That(summary.GetProperty("total_links").GetInt32(), Is.EqualTo(package.Count), "the decoy is left out of every count");
            Assert.That(summary.GetProperty("link_functions").EnumerateObject().Select(p => p.Name), Does.Not.Contain("Decoy"));
            Assert.That(summary.GetProperty("total_clicks").GetInt32(), Is.EqualTo(1), "only the other origin's click is a person's");
            Assert.That(summary.GetProperty("link_functions").GetProperty("Calendly").GetProperty("clicks").GetInt32(), Is.EqualTo(1));
            Assert.That(Categories(summary)["scanner"], Is.EqualTo(1), "the decoy's own click is not counted either");
            Assert.That(Signals(linkedIn.GetProperty("recent_clicks")[0]), Is.EqualTo(new[] { "decoy" }));
        });
    }

    [Test]
    public async Task ADecoyHitWithoutAnOrigin_IsStillAScannerClick()
    {
        var applicationId = Guid.NewGuid();
        var (_, decoyUrl) = await CreatePackageWithDecoyAsync(applicationId);

        // A partner's click with no address: no origin to group by, but following the decoy is enough.
        using var response = await PostJsonAsync(Admin, $"{Api}/record-click", new { tracking_id = TrackingIdOf(decoyUrl) });

        var statistics = await GetStatisticsAsync(TrackingIdOf(decoyUrl), "?include_bots=true");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((statistics.GetProperty("total_clicks").GetInt32(), statistics.GetProperty("bot_clicks").GetInt32()), Is.EqualTo((1, 1)));
    }

    [Test]
    public async Task APartnerRetryWithTheSameEventId_DoesNotChangeTheClicksClass()
    {
        var trackingId = await CreateLinkIdAsync();
        var human = new { tracking_id = trackingId, event_id = "evt-1", ip_address = Home, user_agent = LinkTrackingApiFactory.BrowserHeaders["User-Agent"] };
        var retryLookingLikeABot = new { tracking_id = trackingId, event_id = "evt-1", ip_address = Aws, user_agent = "curl/8.4.0" };

        using var first = await PostJsonAsync(Admin, $"{Api}/record-click", human);
        using var retry = await PostJsonAsync(Admin, $"{Api}/record-click", retryLookingLikeABot);

        var statistics = await GetStatisticsAsync(trackingId, "?include_bots=true");
        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(statistics.GetProperty("total_clicks").GetInt32(), Is.EqualTo(1));
            Assert.That(statistics.GetProperty("bot_clicks").GetInt32(), Is.Zero);
        });
    }

    [Test]
    public async Task APartnersHeaders_AreReadByTheClassifier_UnknownNamesIgnored()
    {
        var trackingId = await CreateLinkIdAsync();
        var headless = new
        {
            tracking_id = trackingId,
            ip_address = Home,
            user_agent = LinkTrackingApiFactory.BrowserHeaders["User-Agent"],
            headers = new Dictionary<string, string> { ["accept"] = "*/*", ["x-partner-trace"] = "abc" },
        };

        using var response = await PostJsonAsync(Admin, $"{Api}/record-click", headless);

        var statistics = await GetStatisticsAsync(trackingId, "?include_bots=true");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(statistics.GetProperty("bot_clicks").GetInt32(), Is.EqualTo(1), "a Chrome agent without Accept-Language is no browser");
    }

    [TestCase(21, 10, "headers")]
    [TestCase(1, 1001, "headers.x-h0")]
    public async Task RecordClick_WithTooManyOrTooLongHeaders_Is400NamingHeaders(int count, int length, string field)
    {
        var trackingId = await CreateLinkIdAsync();
        var headers = Enumerable.Range(0, count).ToDictionary(i => $"x-h{i}", _ => new string('v', length));

        using var response = await PostJsonAsync(Admin, $"{Api}/record-click", new { tracking_id = trackingId, headers });

        var problem = await ReadJsonAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.GetProperty("errors").EnumerateObject().Select(e => e.Name), Does.Contain(field));
    }

    [TestCase("\"yesterday\"")]
    [TestCase("\"2030-01-01T00:00:00Z\"")]
    public async Task Create_WithAMalformedOrFutureSentAt_Is400NamingSentAt(string sentAt)
    {
        using var content = new StringContent(
            $$"""{"original_url":"https://example.com/a","link_function":"Portfolio","sent_at":{{sentAt}}}""", System.Text.Encoding.UTF8, "application/json");

        using var response = await Admin.PostAsync($"{Api}/create", content);

        var problem = await ReadJsonAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.GetProperty("errors").EnumerateObject().Select(e => e.Name), Does.Contain("sent_at"));
    }

    private static readonly object JobData = new { job_url = "https://jobs.example.com/42", apply_url = "https://jobs.example.com/42/apply" };

    private async Task<Dictionary<string, string>> CreatePackageAsync(Guid applicationId, object body)
    {
        var package = await PostPackageAsync(applicationId, body);
        return Links(package);
    }

    private async Task<(Dictionary<string, string> Links, string DecoyUrl)> CreatePackageWithDecoyAsync(Guid applicationId)
    {
        var package = await PostPackageAsync(applicationId, new { decoy = true });
        return (Links(package), package.GetProperty("decoy_url").GetString()!);
    }

    private async Task<JsonElement> PostPackageAsync(Guid applicationId, object body)
    {
        using var response = await PostJsonAsync(Admin, $"{Api}/applications/{applicationId}/links", body);
        var json = await ReadJsonAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), json.ToString());
        return json;
    }

    private static Dictionary<string, string> Links(JsonElement package) =>
        package.GetProperty("links").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

    private async Task FollowAsync(string redirectUrl, string clientIp)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(redirectUrl).PathAndQuery);
        request.Headers.Add(LinkTrackingApiFactory.RemoteIpHeader, clientIp);
        using var response = await Anonymous.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
    }

    private static string TrackingIdOf(string redirectUrl) => redirectUrl[(redirectUrl.LastIndexOf('/') + 1)..];

    private static Dictionary<string, int> Categories(JsonElement body) =>
        body.GetProperty("clicks_by_category").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());

    private static string[] Signals(JsonElement click) =>
        [.. click.GetProperty("signals").EnumerateArray().Select(s => s.GetString()!)];
}
