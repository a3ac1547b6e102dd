using System.Net;
using System.Text.Json;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests.Export;

/// <summary>
/// GET clicks/export over HTTP. The data set (fake now 2025-07-27T15:00:00Z), oldest first:
/// a human on link 1 (job J, application A) 3 h ago; a human on link 2 (job J, application B) 2 h ago; Googlebot on
/// link 1 1 h ago (a session id and referrer that test the CSV guard and quoting); a human on link 3 (no job) 30 min
/// ago; a person's browser following link 1 now (through the redirect, so the journal must be flushed first).
/// </summary>
public sealed class ExportTests(TestProvider provider) : ApiFixture(provider)
{
    private const string Googlebot = "Googlebot/2.1 (+http://www.google.com/bot.html)";
    private const string FormulaSession = "=1+1";
    private const string CommaReferrer = "https://example.com/?q=a,b";

    private static readonly string BrowserAgent = LinkTrackingApiFactory.BrowserHeaders["User-Agent"];

    private static readonly Guid JobJ = Guid.Parse("5b0d6f7e-1111-4a4a-9a9a-123456789abc");
    private static readonly Guid ApplicationA = Guid.Parse("0a0a0a0a-2222-4b4b-8b8b-000000000001");
    private static readonly Guid ApplicationB = Guid.Parse("0b0b0b0b-3333-4c4c-8c8c-000000000002");

    private static readonly string[] Header =
    [
        "click_id", "tracking_id", "clicked_at", "click_source", "bot_category", "signals", "ip_partial",
        "country", "device_type", "browser", "os", "user_agent", "referrer_url", "session_id", "variant",
    ];

    private string _link1 = null!;
    private string _link2 = null!;
    private string _link3 = null!;

    [Test]
    public async Task Export_AsCsv_ListsEveryClickWithItsCategoryAndSignals()
    {
        await SeedAsync();

        using var response = await Admin.GetAsync($"{Api}/clicks/export?include_bots=true");

        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.Multiple(() =>
        {
            Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/csv; charset=utf-8"));
            Assert.That(response.Content.Headers.GetValues("Content-Disposition"), Is.EqualTo(new[] { "attachment; filename=\"clicks-20250727T150000Z.csv\"" }));
        });
        Assert.That(Csv.Parse(text)[0], Is.EqualTo(Header));
        var rows = Csv.Rows(text);
        Assert.That(rows.Select(r => r["clicked_at"]), Is.EqualTo(new[]
        {
            Iso(TimeSpan.FromHours(3)), Iso(TimeSpan.FromHours(2)), Iso(TimeSpan.FromHours(1)), Iso(TimeSpan.FromMinutes(30)), Iso(TimeSpan.Zero),
        }));
        Assert.That(rows.Select(r => r["tracking_id"]), Is.EqualTo(new[] { _link1, _link2, _link1, _link3, _link1 }));
        Assert.That(rows.Select(r => r["click_id"]), Is.All.Matches<string>(id => Guid.TryParse(id, out _)));
        Assert.That(rows.Select(r => r["click_id"]), Is.Unique);
        var bot = rows[2];
        Assert.Multiple(() =>
        {
            Assert.That(bot["bot_category"], Is.EqualTo("crawler"));
            Assert.That(bot["signals"].Split(','), Does.Contain("agent_list"));
            Assert.That(bot["ip_partial"], Is.EqualTo("203.0.113.*"));
            Assert.That(bot["user_agent"], Is.EqualTo(Googlebot));
            Assert.That(bot["referrer_url"], Is.EqualTo(CommaReferrer), "a comma inside a quoted field");
            Assert.That(bot["click_source"], Is.EqualTo("external"));
            Assert.That(bot["session_id"], Is.EqualTo("'" + FormulaSession), "a value that starts like a formula is defused");
            // 203.0.113.9 is a documentation address (no country); Googlebot's agent says what it is, but no OS.
            Assert.That(new[] { bot["country"], bot["device_type"], bot["browser"], bot["os"] }, Is.EqualTo(new[] { "", "bot", "Googlebot", "" }));
        });
        var redirected = rows[4];
        Assert.Multiple(() =>
        {
            Assert.That(redirected["bot_category"], Is.EqualTo("human"));
            Assert.That(redirected["signals"], Is.Empty);
            Assert.That(redirected["ip_partial"], Is.EqualTo("198.51.100.*"));
            Assert.That(redirected["user_agent"], Does.StartWith("Mozilla/5.0"));
            Assert.That(rows.Take(4).Where(r => r != bot).Select(r => r["bot_category"]), Is.All.EqualTo("human"));
        });
    }

    [Test]
    public async Task Export_AsNdjson_WritesOneObjectPerClickWithSignalsAsAnArray()
    {
        await SeedAsync();

        using var response = await Admin.GetAsync($"{Api}/clicks/export?format=ndjson&include_bots=true");

        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/x-ndjson"));
        Assert.That(response.Content.Headers.GetValues("Content-Disposition"), Is.EqualTo(new[] { "attachment; filename=\"clicks-20250727T150000Z.ndjson\"" }));
        var rows = ParseNdjson(text);
        Assert.That(rows, Has.Count.EqualTo(5));
        Assert.That(Names(rows[0]), Is.EqualTo(Header));
        var bot = rows[2];
        Assert.Multiple(() =>
        {
            Assert.That(bot.GetProperty("tracking_id").GetString(), Is.EqualTo(_link1));
            Assert.That(bot.GetProperty("clicked_at").GetString(), Is.EqualTo(Iso(TimeSpan.FromHours(1))));
            Assert.That(bot.GetProperty("bot_category").GetString(), Is.EqualTo("crawler"));
            Assert.That(bot.GetProperty("signals").EnumerateArray().Select(s => s.GetString()), Does.Contain("agent_list"));
            Assert.That(bot.GetProperty("ip_partial").GetString(), Is.EqualTo("203.0.113.*"));
            Assert.That(bot.GetProperty("session_id").GetString(), Is.EqualTo(FormulaSession), "JSON carries values unchanged");
            Assert.That(bot.GetProperty("referrer_url").GetString(), Is.EqualTo(CommaReferrer));
            Assert.That(new[] { "country", "os" }.Select(k => bot.GetProperty(k).ValueKind), Is.All.EqualTo(JsonValueKind.Null));
            Assert.That(new[] { "device_type", "browser" }.Select(k => bot.GetProperty(k).GetString()), Is.EqualTo(new[] { "bot", "Googlebot" }));
            Assert.That(rows[0].GetProperty("signals").GetArrayLength(), Is.Zero);
        });
    }

    [Test]
    public async Task Export_ByDefault_ListsHumanClicksOnly()
    {
        await SeedAsync();

        var rows = await ExportAsync("");

        Assert.That(rows.Select(r => r.GetProperty("bot_category").GetString()), Is.EqualTo(new[] { "human", "human", "human", "human" }));
    }

    [Test]
    public async Task Export_ClicksOnTheDecoyLink_AreListedOnlyWithIncludeBots()
    {
        var decoy = await CreateLinkIdAsync(linkFunction: "Decoy");
        await RecordAsync(new { tracking_id = decoy, clicked_at = Now - TimeSpan.FromMinutes(5), ip_address = "198.51.100.40", user_agent = BrowserAgent, headers = LinkTrackingApiFactory.BrowserHeaders });

        var humans = await ExportAsync("");
        var all = await ExportAsync("&include_bots=true");

        Assert.That(humans, Is.Empty);
        Assert.That(all.Select(r => r.GetProperty("tracking_id").GetString()), Is.EqualTo(new[] { decoy }));
    }

    [Test]
    public async Task Export_ByTrackingId_ListsThatLinksClicksOnly()
    {
        await SeedAsync();

        var rows = await ExportAsync($"&tracking_id={_link1}&include_bots=true");

        Assert.That(rows.Select(r => r.GetProperty("tracking_id").GetString()), Is.EqualTo(new[] { _link1, _link1, _link1 }));
    }

    [Test]
    public async Task Export_ByApplicationId_ListsTheClicksOfThatApplicationsLinks()
    {
        await SeedAsync();

        var rows = await ExportAsync($"&application_id={ApplicationA}&include_bots=true");

        Assert.That(rows.Select(r => r.GetProperty("clicked_at").GetString()), Is.EqualTo(new[] { Iso(TimeSpan.FromHours(3)), Iso(TimeSpan.FromHours(1)), Iso(TimeSpan.Zero) }));
    }

    [Test]
    public async Task Export_ByJobId_ListsTheClicksOfThatJobsLinks()
    {
        await SeedAsync();

        var rows = await ExportAsync($"&job_id={JobJ}");

        Assert.That(rows.Select(r => r.GetProperty("tracking_id").GetString()), Is.EqualTo(new[] { _link1, _link2, _link1 }));
    }

    [Test]
    public async Task Export_WithFromAndTo_ListsTheClicksFromInclusiveToExclusive()
    {
        await SeedAsync();

        var rows = await ExportAsync($"&include_bots=true&from={Iso(TimeSpan.FromHours(2))}&to={Iso(TimeSpan.FromMinutes(30))}");

        Assert.That(rows.Select(r => r.GetProperty("clicked_at").GetString()), Is.EqualTo(new[] { Iso(TimeSpan.FromHours(2)), Iso(TimeSpan.FromHours(1)) }));
    }

    [Test]
    public async Task Export_WithFromWithAnOffset_ComparesTheInstant()
    {
        await SeedAsync();
        var from = Uri.EscapeDataString((Now - TimeSpan.FromHours(1)).ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture));

        var rows = await ExportAsync($"&from={from}");

        Assert.That(rows.Select(r => r.GetProperty("clicked_at").GetString()), Is.EqualTo(new[] { Iso(TimeSpan.FromMinutes(30)), Iso(TimeSpan.Zero) }));
    }

    [Test]
    public async Task Export_WithNoMatchingClicks_IsTheHeaderRowOnly()
    {
        using var response = await Admin.GetAsync($"{Api}/clicks/export");

        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(Csv.Parse(text), Is.EqualTo(new[] { Header }));
    }

    [Test]
    public async Task Export_UnderTheUnversionedRoot_AnswersTheSame()
    {
        await SeedAsync();

        using var response = await Admin.GetAsync("/api/link-tracking/clicks/export?include_bots=true");

        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(Csv.Parse(text), Has.Count.EqualTo(6));
    }

    [TestCase("format=xlsx", "format")]
    [TestCase("format=csv%2Cndjson", "format")]
    [TestCase("tracking_id=not-a-tracking-id", "tracking_id")]
    [TestCase("job_id=12345", "job_id")]
    [TestCase("application_id=not-a-uuid", "application_id")]
    [TestCase("from=yesterday", "from")]
    [TestCase("from=7%2F27%2F2025", "from")]
    [TestCase("to=2025-13-45T00:00:00Z", "to")]
    [TestCase("include_bots=maybe", "include_bots")]
    public async Task Export_WithAMalformedValue_Answers400NamingTheField(string query, string field)
    {
        using var response = await Admin.GetAsync($"{Api}/clicks/export?{query}");

        await AssertValidationErrorAsync(response, field);
    }

    [Test]
    public async Task Export_WithFromAfterTo_Answers400NamingBoth()
    {
        using var response = await Admin.GetAsync($"{Api}/clicks/export?from={Iso(TimeSpan.Zero)}&to={Iso(TimeSpan.FromDays(1))}");

        var problem = await AssertValidationErrorAsync(response, "from");
        Assert.That(Names(problem.GetProperty("errors")), Does.Contain("to"));
    }

    [Test]
    public async Task Export_WithoutAKey_Answers401()
    {
        using var response = await Anonymous.GetAsync($"{Api}/clicks/export");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [TestCase("clicks:write")]
    [TestCase("links:write")]
    public async Task Export_WithAKeyLackingAnalyticsRead_Answers403(string scope)
    {
        using var client = Factory.ClientWithKey(await Factory.CreateApiKeyAsync(scope));

        using var response = await client.GetAsync($"{Api}/clicks/export");

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task Export_WithAnAnalyticsReadKey_Answers200()
    {
        using var client = Factory.ClientWithKey(await Factory.CreateApiKeyAsync("analytics:read"));

        using var response = await client.GetAsync($"{Api}/clicks/export?format=ndjson");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task OpenApiDocument_DescribesTheExportsFormatsAndItsEnrichmentColumns()
    {
        using var response = await Anonymous.GetAsync("/openapi/v1.json");

        var operation = (await ReadJsonAsync(response)).GetProperty("paths").GetProperty($"{Api}/clicks/export").GetProperty("get");
        var text = operation.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(Names(operation.GetProperty("responses").GetProperty("200").GetProperty("content")), Is.EquivalentTo(new[] { "text/csv", "application/x-ndjson" }));
            Assert.That(text, Does.Contain("uap-core").And.Contain("DB-IP"), "where country, device_type, browser and os come from");
            Assert.That(text, Does.Contain("formula"));
            Assert.That(operation.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()),
                Is.SupersetOf(new[] { "format", "tracking_id", "job_id", "application_id", "from", "to", "include_bots" }));
        });
    }

    private async Task<List<JsonElement>> ExportAsync(string query)
    {
        using var response = await Admin.GetAsync($"{Api}/clicks/export?format=ndjson{query}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return ParseNdjson(text);
    }

    private static List<JsonElement> ParseNdjson(string text)
    {
        Assert.That(text, Does.EndWith("\n").Or.Empty);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
    }

    private async Task SeedAsync()
    {
        _link1 = await CreateLinkIdAsync(linkFunction: "LinkedIn", jobId: JobJ, applicationId: ApplicationA);
        _link2 = await CreateLinkIdAsync(linkFunction: "Portfolio", jobId: JobJ, applicationId: ApplicationB);
        _link3 = await CreateLinkIdAsync(linkFunction: "Calendly");

        await RecordAsync(new { tracking_id = _link1, clicked_at = Now - TimeSpan.FromHours(3), ip_address = "198.51.100.31", session_id = "s1", user_agent = BrowserAgent, headers = LinkTrackingApiFactory.BrowserHeaders });
        await RecordAsync(new { tracking_id = _link2, clicked_at = Now - TimeSpan.FromHours(2), ip_address = "198.51.100.32", session_id = "s2", user_agent = BrowserAgent, headers = LinkTrackingApiFactory.BrowserHeaders });
        await RecordAsync(new { tracking_id = _link1, clicked_at = Now - TimeSpan.FromHours(1), ip_address = "203.0.113.9", session_id = FormulaSession, referrer_url = CommaReferrer, user_agent = Googlebot });
        await RecordAsync(new { tracking_id = _link3, clicked_at = Now - TimeSpan.FromMinutes(30), ip_address = "198.51.100.33", session_id = "s3", user_agent = BrowserAgent, headers = LinkTrackingApiFactory.BrowserHeaders });

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/track/{_link1}");
        request.Headers.Add(LinkTrackingApiFactory.RemoteIpHeader, "198.51.100.34");
        using var redirect = await Anonymous.SendAsync(request);
        Assert.That(redirect.StatusCode, Is.EqualTo(HttpStatusCode.Found));
    }

    private async Task RecordAsync(object click)
    {
        using var response = await PostJsonAsync(Admin, $"{Api}/record-click", click);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }
}
