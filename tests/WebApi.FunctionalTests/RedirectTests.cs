using System.Net;
using System.Text.Json;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>GET/HEAD /track/{tracking_id}: the redirect browsers follow. No API key anywhere here.</summary>
public sealed class RedirectTests(TestProvider provider) : ApiFixture(provider)
{
    private const string BrowserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

    [Test]
    public async Task Follow_WhenLinkIsActive_RedirectsToTheOriginalUrlWithoutCaching()
    {
        var trackingId = await CreateLinkIdAsync("https://example.com/jobs/42?ref=cv&lang=en");

        using var response = await Anonymous.GetAsync($"/track/{trackingId}");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo("https://example.com/jobs/42?ref=cv&lang=en"));
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True, response.Headers.ToString());
        });
    }

    [Test]
    public async Task Follow_WhenLinkIsActive_RecordsTheClickBeforeAnswering()
    {
        var trackingId = await CreateLinkIdAsync();

        using var redirect = await Send(HttpMethod.Get, trackingId, ("User-Agent", BrowserAgent));
        var stats = await GetStatisticsAsync(trackingId);

        Assert.That(redirect.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.EqualTo(1));
        Assert.That(stats.GetProperty("last_click").GetString(), Is.EqualTo("2025-07-27T15:00:00Z"));
    }

    [Test]
    public async Task Follow_ThreeTimes_CountsThreeClicks()
    {
        var trackingId = await CreateLinkIdAsync();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await Anonymous.GetAsync($"/track/{trackingId}");
            statuses.Add(response.StatusCode);
        }

        var stats = await GetStatisticsAsync(trackingId);

        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.Found));
        Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.EqualTo(3));
    }

    [Test]
    public async Task Follow_RecordsClientIpAndRefererSource()
    {
        var trackingId = await CreateLinkIdAsync();

        using var redirect = await Send(
            HttpMethod.Get,
            trackingId,
            (LinkTrackingApiFactory.RemoteIpHeader, "203.0.113.77"),
            ("User-Agent", BrowserAgent),
            ("Referer", "https://www.linkedin.com/feed/"));
        var analytics = await GetJsonAsync($"{Api}/analytics/{trackingId}");

        Assert.That(redirect.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        var recent = analytics.GetProperty("recent_clicks")[0];
        Assert.Multiple(() =>
        {
            Assert.That(recent.GetProperty("ip_partial").GetString(), Is.EqualTo("203.0.113.*"));
            Assert.That(recent.GetProperty("click_source").GetString(), Is.EqualTo("linkedin"));
            Assert.That(recent.GetProperty("clicked_at").GetString(), Is.EqualTo("2025-07-27T15:00:00Z"));
            Assert.That(analytics.GetProperty("click_statistics").GetProperty("unique_ips").GetInt32(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Follow_WithoutSessionCookie_SetsAnHttpOnlySessionCookie()
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await Anonymous.GetAsync($"/track/{trackingId}");

        var cookie = SessionCookie(response);
        Assert.That(cookie, Is.Not.Null, "no session_id cookie was set");
        Assert.Multiple(() =>
        {
            Assert.That(cookie, Does.Match("^session_id=[^;]{16,}"));
            Assert.That(cookie, Does.Contain("httponly").IgnoreCase);
        });
    }

    [Test]
    public async Task Follow_WithoutSessionCookie_GivesEachVisitorItsOwnSession()
    {
        var trackingId = await CreateLinkIdAsync();

        using var first = await Anonymous.GetAsync($"/track/{trackingId}");
        using var second = await Anonymous.GetAsync($"/track/{trackingId}");
        var stats = await GetStatisticsAsync(trackingId);

        Assert.That(SessionCookie(first), Is.Not.EqualTo(SessionCookie(second)));
        Assert.That(stats.GetProperty("unique_sessions").GetInt32(), Is.EqualTo(2));
    }

    [Test]
    public async Task Follow_ByMoreNewVisitorsThanOneBatchOfRandomBytes_GivesEveryVisitorADistinct128BitSession()
    {
        // Session ids are drawn from a per-thread buffer of 64; 300 visitors wrap it several times on any thread.
        var trackingId = await CreateLinkIdAsync();

        var sessions = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            using var response = await Anonymous.GetAsync($"/track/{trackingId}");
            sessions.Add(SessionCookie(response)!.Split(';')[0]["session_id=".Length..]);
        }

        var stats = await GetStatisticsAsync(trackingId);

        Assert.That(sessions, Is.All.Match("^[0-9a-f]{32}$"));
        Assert.That(sessions.Distinct().Count(), Is.EqualTo(300));
        Assert.That(stats.GetProperty("unique_sessions").GetInt32(), Is.EqualTo(300));
    }

    [Test]
    public async Task Follow_WithTheSessionCookieItWasGiven_CountsOneSessionAndSetsNoNewCookie()
    {
        var trackingId = await CreateLinkIdAsync();
        using var first = await Anonymous.GetAsync($"/track/{trackingId}");
        var cookie = SessionCookie(first)!.Split(';')[0];

        using var second = await Send(HttpMethod.Get, trackingId, ("Cookie", cookie));
        using var third = await Send(HttpMethod.Get, trackingId, ("Cookie", cookie));
        var stats = await GetStatisticsAsync(trackingId);

        Assert.Multiple(() =>
        {
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Found));
            Assert.That(SessionCookie(second), Is.Null);
            Assert.That(SessionCookie(third), Is.Null);
            Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.EqualTo(3));
            Assert.That(stats.GetProperty("unique_sessions").GetInt32(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Follow_WithAnExistingSessionCookie_RecordsThatSession()
    {
        var first = await CreateLinkIdAsync("https://example.com/one");
        var second = await CreateLinkIdAsync("https://example.com/two");

        using var a = await Send(HttpMethod.Get, first, ("Cookie", "session_id=visitor-42"));
        using var b = await Send(HttpMethod.Get, second, ("Cookie", "session_id=visitor-42"));
        var report = await GetJsonAsync($"{Api}/report?days=1");

        Assert.That(SessionCookie(a), Is.Null);
        Assert.That(report.GetProperty("overall_statistics").GetProperty("total_clicks").GetInt32(), Is.EqualTo(2));
        Assert.That(report.GetProperty("overall_statistics").GetProperty("unique_sessions").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task Follow_WithUtmParameters_StoresThemInTheClickMetadata()
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await Anonymous.GetAsync($"/track/{trackingId}?utm_source=newsletter&utm_campaign=summer-2025&page=2");
        var metadata = await StoredMetadataAsync(trackingId);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(metadata, Is.Not.Null);
        using var json = JsonDocument.Parse(metadata!);
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("utm_source").GetString(), Is.EqualTo("newsletter"));
            Assert.That(json.RootElement.GetProperty("utm_campaign").GetString(), Is.EqualTo("summer-2025"));
            Assert.That(json.RootElement.TryGetProperty("page", out _), Is.False);
        });
    }

    [Test]
    public async Task Follow_WithoutUtmParameters_StoresNoMetadata()
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await Anonymous.GetAsync($"/track/{trackingId}?page=2");
        var metadata = await StoredMetadataAsync(trackingId);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(metadata, Is.Null);
    }

    [Test]
    public async Task Head_RedirectsButIsNotCountedAsAHumanClick()
    {
        var trackingId = await CreateLinkIdAsync("https://example.com/head");

        using var response = await Send(HttpMethod.Head, trackingId, ("User-Agent", BrowserAgent));
        var stats = await GetStatisticsAsync(trackingId);
        var withBots = await GetStatisticsAsync(trackingId, "?include_bots=true");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo("https://example.com/head"));
            Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.Zero);
            Assert.That(stats.GetProperty("bot_clicks").GetInt32(), Is.EqualTo(1));
            Assert.That(withBots.GetProperty("total_clicks").GetInt32(), Is.EqualTo(1));
        });
    }

    [TestCase("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")]
    [TestCase("curl/8.5.0")]
    [TestCase("python-requests/2.32.3")]
    public async Task Follow_WithABotUserAgent_RedirectsButCountsABotClick(string userAgent)
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await Send(HttpMethod.Get, trackingId, ("User-Agent", userAgent));
        var stats = await GetStatisticsAsync(trackingId);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.Zero);
        Assert.That(stats.GetProperty("bot_clicks").GetInt32(), Is.EqualTo(1));
    }

    [TestCase("abc")]
    [TestCase("lt_short")]
    [TestCase("lt_UPPERCASE12")]
    [TestCase("lt_abcdefghijklmnopqrstuvwxyz0123456")]
    [TestCase("xx_abcdefghijkl")]
    public async Task Follow_WhenTrackingIdIsMalformed_ReturnsBadRequest(string trackingId)
    {
        using var response = await Anonymous.GetAsync($"/track/{trackingId}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Headers.Location, Is.Null);
    }

    [Test]
    public async Task Follow_WhenTrackingIdIsMalformedAndClientAcceptsJson_ReturnsProblem()
    {
        using var response = await Send(HttpMethod.Get, "lt_BAD", ("Accept", "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Follow_WhenLinkIsUnknown_ReturnsAnHtmlNotFoundPage()
    {
        using var response = await Send(HttpMethod.Get, "lt_doesnotexist1", ("Accept", "text/html,application/xhtml+xml,*/*;q=0.8"));

        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
            Assert.That(body, Does.Contain("<html").IgnoreCase);
            Assert.That(response.Headers.Location, Is.Null);
        });
    }

    [Test]
    public async Task Follow_WhenLinkIsUnknownAndNoAcceptHeader_ReturnsHtml()
    {
        using var response = await Anonymous.GetAsync("/track/lt_doesnotexist1");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
    }

    [Test]
    public async Task Follow_WhenLinkIsUnknownAndClientAcceptsJson_ReturnsProblem()
    {
        using var response = await Send(HttpMethod.Get, "lt_doesnotexist1", ("Accept", "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Follow_WhenLinkIsInactive_ReturnsNotFoundAndCountsNothing()
    {
        var trackingId = await CreateLinkIdAsync();
        await SetActiveAsync(trackingId, active: false);

        using var response = await Send(HttpMethod.Get, trackingId, ("Accept", "application/json"));
        var stats = await GetStatisticsAsync(trackingId, "?include_bots=true");

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.Zero);
    }

    [Test]
    public async Task Follow_WithDoNotTrackWhenNotHonoured_RecordsIpAndSessionAsUsual()
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await Send(HttpMethod.Get, trackingId, ("DNT", "1"), (LinkTrackingApiFactory.RemoteIpHeader, "198.51.100.20"));
        var stats = await GetStatisticsAsync(trackingId);

        Assert.That(SessionCookie(response), Is.Not.Null);
        Assert.That(stats.GetProperty("unique_ips").GetInt32(), Is.EqualTo(1));
        Assert.That(stats.GetProperty("unique_sessions").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task Follow_WithForgedForwardedForFromAnUntrustedClient_RecordsTheConnectionAddress()
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await Send(HttpMethod.Get, trackingId, (LinkTrackingApiFactory.RemoteIpHeader, "203.0.113.50"), ("X-Forwarded-For", "192.0.2.1"));
        var analytics = await GetJsonAsync($"{Api}/analytics/{trackingId}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(analytics.GetProperty("recent_clicks")[0].GetProperty("ip_partial").GetString(), Is.EqualTo("203.0.113.*"));
    }

    [Test]
    public async Task Follow_ThroughALocalProxy_RecordsTheForwardedClientAddress()
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await Send(HttpMethod.Get, trackingId, (LinkTrackingApiFactory.RemoteIpHeader, "127.0.0.1"), ("X-Forwarded-For", "198.51.100.61"));
        var analytics = await GetJsonAsync($"{Api}/analytics/{trackingId}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(analytics.GetProperty("recent_clicks")[0].GetProperty("ip_partial").GetString(), Is.EqualTo("198.51.100.*"));
    }

    [Test]
    public async Task Follow_TwiceWithTheSameRequestId_WhenNoRequestIdHeaderIsConfigured_CountsTwoClicks()
    {
        var trackingId = await CreateLinkIdAsync();

        using var first = await Send(HttpMethod.Get, trackingId, (LinkTrackingApiFactory.RemoteIpHeader, "127.0.0.1"), ("X-Request-ID", "req-1"));
        using var second = await Send(HttpMethod.Get, trackingId, (LinkTrackingApiFactory.RemoteIpHeader, "127.0.0.1"), ("X-Request-ID", "req-1"));
        var stats = await GetStatisticsAsync(trackingId);

        Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.EqualTo(2));
    }

    private async Task<HttpResponseMessage> Send(HttpMethod method, string trackingId, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, $"/track/{trackingId}");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await Anonymous.SendAsync(request);
    }

    private static string? SessionCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.FirstOrDefault(c => c.StartsWith("session_id=", StringComparison.Ordinal))
            : null;

    private async Task<string?> StoredMetadataAsync(string trackingId)
    {
        await Factory.FlushClicksAsync();
        await using var db = Factory.Database.CreateContext();
        var clicks = await db.Clicks.AsNoTracking().ToListAsync();
        return clicks.Single(c => c.TrackingId.Value == trackingId).Metadata;
    }
}
