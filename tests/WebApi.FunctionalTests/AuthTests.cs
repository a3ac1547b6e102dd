using System.Net;
using System.Net.Http.Json;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>X-API-Key: missing or unknown → 401, a key without the route's scope → 403, admin implies every scope.</summary>
public sealed class AuthTests(TestProvider provider) : ApiFixture(provider)
{
    private const string LinksWrite = "links:write";
    private const string ClicksWrite = "clicks:write";
    private const string AnalyticsRead = "analytics:read";

    private static readonly string[] ProtectedRoutes =
    [
        "POST create",
        "GET links/{id}",
        "GET links",
        "POST links/{id}/deactivate",
        "POST links/{id}/activate",
        "POST applications/{app}/links",
        "POST record-click",
        "POST record-clicks",
        "GET analytics/{id}",
        "GET jobs/{job}/summary",
        "GET applications/{app}/summary",
        "GET report",
    ];

    [TestCaseSource(nameof(ProtectedRoutes))]
    public async Task Route_WithoutApiKey_ReturnsUnauthorized(string route)
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await SendAsync(Anonymous, route, trackingId);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [TestCaseSource(nameof(ProtectedRoutes))]
    public async Task Route_WithUnknownApiKey_ReturnsUnauthorized(string route)
    {
        var trackingId = await CreateLinkIdAsync();
        using var client = Factory.ClientWithKey("ltk_NotARealKey00000000000000000000000000000");

        using var response = await SendAsync(client, route, trackingId);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Route_WithEmptyApiKeyHeader_ReturnsUnauthorized()
    {
        using var client = Factory.ClientWithKey(null);
        client.DefaultRequestHeaders.TryAddWithoutValidation("X-API-Key", string.Empty);

        using var response = await client.GetAsync($"{Api}/report");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [TestCase("POST create", ClicksWrite)]
    [TestCase("POST create", AnalyticsRead)]
    [TestCase("POST links/{id}/deactivate", AnalyticsRead)]
    [TestCase("POST links/{id}/activate", ClicksWrite)]
    [TestCase("POST applications/{app}/links", ClicksWrite)]
    [TestCase("GET links/{id}", LinksWrite)]
    [TestCase("GET links", ClicksWrite)]
    [TestCase("GET links", LinksWrite)]
    [TestCase("POST record-click", LinksWrite)]
    [TestCase("POST record-click", AnalyticsRead)]
    [TestCase("POST record-clicks", AnalyticsRead)]
    [TestCase("GET analytics/{id}", ClicksWrite)]
    [TestCase("GET analytics/{id}", LinksWrite)]
    [TestCase("GET jobs/{job}/summary", LinksWrite)]
    [TestCase("GET applications/{app}/summary", ClicksWrite)]
    [TestCase("GET report", LinksWrite)]
    public async Task Route_WithKeyLackingTheScope_ReturnsForbidden(string route, string scope)
    {
        var trackingId = await CreateLinkIdAsync();
        using var client = Factory.ClientWithKey(await Factory.CreateApiKeyAsync(scope));

        using var response = await SendAsync(client, route, trackingId);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [TestCase("POST create", LinksWrite, HttpStatusCode.Created)]
    [TestCase("POST links/{id}/deactivate", LinksWrite, HttpStatusCode.OK)]
    [TestCase("POST applications/{app}/links", LinksWrite, HttpStatusCode.Created)]
    [TestCase("GET links/{id}", AnalyticsRead, HttpStatusCode.OK)]
    [TestCase("GET links/{id}", ClicksWrite, HttpStatusCode.OK)]
    [TestCase("GET links", AnalyticsRead, HttpStatusCode.OK)]
    [TestCase("POST record-click", ClicksWrite, HttpStatusCode.Created)]
    [TestCase("POST record-clicks", ClicksWrite, HttpStatusCode.OK)]
    [TestCase("GET analytics/{id}", AnalyticsRead, HttpStatusCode.OK)]
    [TestCase("GET jobs/{job}/summary", AnalyticsRead, HttpStatusCode.OK)]
    [TestCase("GET applications/{app}/summary", AnalyticsRead, HttpStatusCode.OK)]
    [TestCase("GET report", AnalyticsRead, HttpStatusCode.OK)]
    public async Task Route_WithKeyHavingTheScope_Succeeds(string route, string scope, HttpStatusCode expected)
    {
        var trackingId = await CreateLinkIdAsync();
        using var client = Factory.ClientWithKey(await Factory.CreateApiKeyAsync(scope));

        using var response = await SendAsync(client, route, trackingId);

        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
    }

    [TestCaseSource(nameof(ProtectedRoutes))]
    public async Task Route_WithAdminKey_Succeeds(string route)
    {
        var trackingId = await CreateLinkIdAsync();
        using var client = Factory.ClientWithKey(await Factory.CreateApiKeyAsync("admin"));

        using var response = await SendAsync(client, route, trackingId);

        Assert.That((int)response.StatusCode, Is.InRange(200, 201), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Redirect_WithoutApiKey_Redirects()
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await Anonymous.GetAsync($"/track/{trackingId}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
    }

    [Test]
    public async Task Redirect_WithUnknownApiKey_StillRedirects()
    {
        var trackingId = await CreateLinkIdAsync();
        using var client = Factory.ClientWithKey("ltk_NotARealKey00000000000000000000000000000");

        using var response = await client.GetAsync($"/track/{trackingId}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
    }

    [TestCase("/track/health")]
    [TestCase("/health/live")]
    [TestCase("/health/ready")]
    public async Task Health_WithoutApiKey_Answers(string path)
    {
        using var response = await Anonymous.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Route_WhenRefused_DoesNotRunTheAction()
    {
        using var client = Factory.ClientWithKey(await Factory.CreateApiKeyAsync(ClicksWrite));

        using var response = await PostJsonAsync(client, $"{Api}/create", new { original_url = "https://example.com/a", link_function = "Portfolio" });
        var page = await GetJsonAsync($"{Api}/links");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(page.GetProperty("total").GetInt32(), Is.Zero);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string route, string trackingId)
    {
        var space = route.IndexOf(' ', StringComparison.Ordinal);
        var method = route[..space];
        var path = $"{Api}/" + route[(space + 1)..]
            .Replace("{id}", trackingId, StringComparison.Ordinal)
            .Replace("{app}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
            .Replace("{job}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
        if (method == "GET")
        {
            return client.GetAsync(path);
        }

        object body = route switch
        {
            "POST create" => new { original_url = "https://example.com/a", link_function = "Portfolio" },
            "POST record-click" => new { tracking_id = trackingId },
            "POST record-clicks" => new { clicks = new[] { new { tracking_id = trackingId } } },
            _ => new { },
        };
        return client.PostAsJsonAsync(path, body, LinkTrackingApiFactory.Json);
    }
}
