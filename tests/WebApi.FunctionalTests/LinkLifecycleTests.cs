using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// <c>expires_at</c>, <c>max_human_clicks</c> and <c>fallback_url</c> on create and PATCH, and what a spent link
/// answers. The fixture's clock only moves forward, so every time here is relative to the clock's current value.
/// </summary>
public sealed class LinkLifecycleTests(TestProvider provider) : ApiFixture(provider)
{
    private const string Fallback = "https://example.com/position-filled";
    private const string ScannerAgent = "Mozilla/5.0 (compatible; Barracuda Sentinel (EE))";

    private DateTimeOffset Clock => Factory.Time.GetUtcNow();

    [Test]
    public async Task Create_WithLifecycle_ReturnsItOnTheLink()
    {
        var expiresAt = Clock.AddDays(30);

        var link = await Factory.CreateLinkAsync(new
        {
            original_url = "https://example.com/cv",
            link_function = "Resume",
            expires_at = expiresAt,
            max_human_clicks = 5,
            fallback_url = Fallback,
        });
        var read = await GetJsonAsync($"{Api}/links/{link.GetProperty("tracking_id").GetString()}");

        foreach (var body in new[] { link, read })
        {
            Assert.That(body.GetProperty("expires_at").GetDateTimeOffset(), Is.EqualTo(expiresAt), body.ToString());
            Assert.That(body.GetProperty("max_human_clicks").GetInt32(), Is.EqualTo(5), body.ToString());
            Assert.That(body.GetProperty("fallback_url").GetString(), Is.EqualTo(Fallback), body.ToString());
        }
    }

    [TestCase("expires_at", "2001-01-01T00:00:00Z")]
    [TestCase("max_human_clicks", 0)]
    [TestCase("max_human_clicks", -3)]
    [TestCase("fallback_url", "javascript:alert(1)")]
    [TestCase("fallback_url", "https://intranet/")]
    public async Task Create_WithBadLifecycle_Returns400NamingTheField(string field, object value)
    {
        var body = new Dictionary<string, object> { ["original_url"] = "https://example.com/cv", ["link_function"] = "Resume", [field] = value };

        using var response = await PostJsonAsync(Admin, $"{Api}/create", body);

        await AssertValidationErrorAsync(response, field);
    }

    [Test]
    public async Task Redirect_AfterExpiry_Answers410HtmlToABrowserAndAProblemToAnApiClient()
    {
        var trackingId = await CreateAsync(new { expires_at = Clock.AddMinutes(10) });
        using var before = await Anonymous.GetAsync($"/track/{trackingId}");

        Factory.Time.Advance(TimeSpan.FromMinutes(10));
        using var html = await Anonymous.GetAsync($"/track/{trackingId}");
        using var problemRequest = new HttpRequestMessage(HttpMethod.Get, $"/track/{trackingId}");
        problemRequest.Headers.Accept.ParseAdd("application/json");
        using var problem = await Factory.ClientWithKey(null).SendAsync(problemRequest);

        Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(html.StatusCode, Is.EqualTo(HttpStatusCode.Gone));
        Assert.That(html.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(html.Headers.Location, Is.Null);
        await AssertProblemAsync(problem, HttpStatusCode.Gone);
        var stats = await GetStatisticsAsync(trackingId);
        Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.EqualTo(1), "a spent link records no click");
    }

    [Test]
    public async Task Redirect_AfterExpiry_WithAFallback_RedirectsToTheFallback()
    {
        var trackingId = await CreateAsync(new { expires_at = Clock.AddMinutes(1), fallback_url = Fallback });

        Factory.Time.Advance(TimeSpan.FromMinutes(2));
        using var response = await Anonymous.GetAsync($"/track/{trackingId}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo(Fallback));
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
    }

    [Test]
    public async Task Redirect_WithAHumanClickLimit_IsGoneAfterThatManyPeopleFollowedIt()
    {
        var trackingId = await CreateAsync(new { max_human_clicks = 2 });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await Anonymous.GetAsync($"/track/{trackingId}");
            statuses.Add(response.StatusCode);
        }

        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.Found, HttpStatusCode.Found, HttpStatusCode.Gone }));
        Assert.That((await GetStatisticsAsync(trackingId)).GetProperty("total_clicks").GetInt32(), Is.EqualTo(2));
    }

    [Test]
    public async Task Redirect_WithAHumanClickLimit_IsNeverExhaustedByScanners()
    {
        var trackingId = await CreateAsync(new { max_human_clicks = 1, fallback_url = Fallback });
        using var scanner = Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        scanner.DefaultRequestHeaders.UserAgent.ParseAdd(ScannerAgent);

        var scans = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var head = await scanner.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/track/{trackingId}"));
            using var get = await scanner.GetAsync($"/track/{trackingId}");
            scans.Add(head.StatusCode);
            scans.Add(get.StatusCode);
        }

        using var person = await Anonymous.GetAsync($"/track/{trackingId}");
        using var secondPerson = await Anonymous.GetAsync($"/track/{trackingId}");

        Assert.That(scans, Is.All.EqualTo(HttpStatusCode.Found));
        Assert.That(person.Headers.Location?.ToString(), Is.EqualTo("https://example.com/landing"));
        Assert.That(secondPerson.Headers.Location?.ToString(), Is.EqualTo(Fallback));
    }

    [Test]
    public async Task Redirect_WithAHumanClickLimit_CountsPeopleAlreadyInTheDatabase()
    {
        // Followed while it had no limit, so only the database knows of this click.
        var trackingId = await CreateAsync(new { });
        using var before = await Anonymous.GetAsync($"/track/{trackingId}");
        await Factory.FlushClicksAsync();
        using var limited = await PatchAsync(trackingId, new { max_human_clicks = 2 });

        using var first = await Anonymous.GetAsync($"/track/{trackingId}");
        using var second = await Anonymous.GetAsync($"/track/{trackingId}");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Gone));
    }

    [Test]
    public async Task Patch_ChangesTheDestination_AndTheNextRedirectUsesIt()
    {
        var trackingId = await CreateAsync(new { });
        using var before = await Anonymous.GetAsync($"/track/{trackingId}");

        using var response = await PatchAsync(trackingId, new { original_url = "https://example.com/new-cv", description = "updated" });
        using var after = await Anonymous.GetAsync($"/track/{trackingId}");

        var link = await ReadJsonAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), link.ToString());
        Assert.That(link.GetProperty("original_url").GetString(), Is.EqualTo("https://example.com/new-cv"));
        Assert.That(link.GetProperty("description").GetString(), Is.EqualTo("updated"));
        Assert.That(before.Headers.Location?.ToString(), Is.EqualTo("https://example.com/landing"));
        Assert.That(after.Headers.Location?.ToString(), Is.EqualTo("https://example.com/new-cv"));
    }

    [Test]
    public async Task Patch_WithNull_ClearsTheExpiry_AndLeavesFieldsNotSentAlone()
    {
        var trackingId = await CreateAsync(new { expires_at = Clock.AddMinutes(1), max_human_clicks = 9, description = "keep me" });
        Factory.Time.Advance(TimeSpan.FromMinutes(2));
        using var expired = await Anonymous.GetAsync($"/track/{trackingId}");

        using var response = await PatchAsync(trackingId, new Dictionary<string, object?> { ["expires_at"] = null });
        using var after = await Anonymous.GetAsync($"/track/{trackingId}");

        var link = await ReadJsonAsync(response);
        Assert.That(expired.StatusCode, Is.EqualTo(HttpStatusCode.Gone));
        Assert.That(link.GetProperty("expires_at").ValueKind, Is.EqualTo(JsonValueKind.Null), link.ToString());
        Assert.That(link.GetProperty("max_human_clicks").GetInt32(), Is.EqualTo(9));
        Assert.That(link.GetProperty("description").GetString(), Is.EqualTo("keep me"));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Found));
    }

    [Test]
    public async Task Patch_LoweringTheLimitBelowTheCount_SpendsTheLinkAtOnce()
    {
        var trackingId = await CreateAsync(new { max_human_clicks = 10 });
        using var click = await Anonymous.GetAsync($"/track/{trackingId}");

        using var response = await PatchAsync(trackingId, new { max_human_clicks = 1, fallback_url = Fallback });
        using var after = await Anonymous.GetAsync($"/track/{trackingId}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(after.Headers.Location?.ToString(), Is.EqualTo(Fallback));
    }

    [Test]
    public async Task Patch_RecordsEachChangeWithTimeAndKey()
    {
        var trackingId = await CreateAsync(new { });
        var writerKey = await Factory.CreateApiKeyAsync("links:write");
        using var writer = Factory.ClientWithKey(writerKey);
        var expiresAt = Clock.AddDays(7);

        using var first = await PatchAsync(trackingId, new { max_human_clicks = 3 }, writer);
        Factory.Time.Advance(TimeSpan.FromMinutes(1));
        using var second = await PatchAsync(trackingId, new { max_human_clicks = 4, expires_at = expiresAt, description = (string?)null });
        var history = await GetJsonAsync($"{Api}/links/{trackingId}/history");

        var changes = history.GetProperty("changes").EnumerateArray().ToList();
        // The description was already null: setting it to null again is no change.
        Assert.That(changes, Has.Count.EqualTo(3), history.ToString());
        var secondPatch = changes.Skip(1).ToDictionary(c => c.GetProperty("field").GetString()!);
        Assert.That(changes[0].GetProperty("field").GetString(), Is.EqualTo("max_human_clicks"));
        Assert.That(changes[0].GetProperty("old_value").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(changes[0].GetProperty("new_value").GetString(), Is.EqualTo("3"));
        Assert.That(secondPatch.Keys, Is.EquivalentTo(new[] { "max_human_clicks", "expires_at" }));
        Assert.That(secondPatch["max_human_clicks"].GetProperty("old_value").GetString(), Is.EqualTo("3"));
        Assert.That(secondPatch["max_human_clicks"].GetProperty("new_value").GetString(), Is.EqualTo("4"));
        Assert.That(secondPatch["max_human_clicks"].GetProperty("changed_at").GetDateTimeOffset() - changes[0].GetProperty("changed_at").GetDateTimeOffset(), Is.EqualTo(TimeSpan.FromMinutes(1)));
        Assert.That(changes[0].GetProperty("api_key_id").GetString(), Is.Not.Null.And.Not.EqualTo(secondPatch["expires_at"].GetProperty("api_key_id").GetString()), "each change names the key that made it");
        Assert.That(DateTimeOffset.Parse(secondPatch["expires_at"].GetProperty("new_value").GetString()!, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(expiresAt));
    }

    [TestCase("""{"original_url":null}""", "original_url")]
    [TestCase("""{"original_url":"ftp://example.com/x"}""", "original_url")]
    [TestCase("""{"fallback_url":"https://user:pw@example.com/"}""", "fallback_url")]
    [TestCase("""{"max_human_clicks":0}""", "max_human_clicks")]
    [TestCase("""{"expires_at":"2001-01-01T00:00:00Z"}""", "expires_at")]
    [TestCase("""{"description":null,"expires_at":"not a date"}""", "expires_at")]
    [TestCase("""{}""", "body")]
    public async Task Patch_WithBadInput_Returns400NamingTheField(string json, string field)
    {
        var trackingId = await CreateAsync(new { });

        using var response = await Admin.PatchAsync($"{Api}/links/{trackingId}", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        await AssertValidationErrorAsync(response, field);
    }

    [Test]
    public async Task Patch_WhenLinkIsUnknown_Returns404()
    {
        using var response = await PatchAsync("lt_doesnotexist1", new { description = "x" });

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Patch_WithAReadOnlyKey_IsForbidden()
    {
        var trackingId = await CreateAsync(new { });
        using var reader = Factory.ClientWithKey(await Factory.CreateApiKeyAsync("analytics:read", "clicks:write"));

        using var response = await PatchAsync(trackingId, new { description = "x" }, reader);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    private async Task<string> CreateAsync(object lifecycle)
    {
        var body = JsonSerializer.SerializeToElement(lifecycle, LinkTrackingApiFactory.Json).EnumerateObject()
            .ToDictionary(p => p.Name, p => (object?)p.Value);
        body["original_url"] = "https://example.com/landing";
        body["link_function"] = "Portfolio";
        var link = await Factory.CreateLinkAsync(body);
        return link.GetProperty("tracking_id").GetString()!;
    }

    private Task<HttpResponseMessage> PatchAsync(string trackingId, object body, HttpClient? client = null) =>
        (client ?? Admin).PatchAsJsonAsync($"{Api}/links/{trackingId}", body, LinkTrackingApiFactory.Json);
}
