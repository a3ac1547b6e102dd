using System.Net;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>What a newcomer, a browser or a crawler finds without a key: no 401 where nothing is protected, no empty 500s.</summary>
public sealed class FrontDoorTests(TestProvider provider) : ApiFixture(provider)
{
    private const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

    [TestCase("text/html")]
    [TestCase("text/plain")]
    [TestCase("*/*")]
    [TestCase("image/png")]
    [TestCase(BrowserAccept)]
    [TestCase(";;,,")]
    public async Task ProtectedRoute_WithoutAKey_IsA401ProblemWhateverTheAcceptHeader(string accept)
    {
        using var response = await SendAsync(HttpMethod.Get, $"{Api}/links", accept);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [TestCase("/nope", "text/html")]
    [TestCase("/wp-login.php", "*/*")]
    [TestCase("/api/v1/link-tracking/nope", "text/plain")]
    [TestCase("/api/v1/link-tracking/nope", "application/json")]
    public async Task UnknownRoute_WithoutAKey_IsA404Problem_NotA401(string path, string accept)
    {
        using var response = await SendAsync(HttpMethod.Get, path, accept);

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Root_ShowsASmallPageNamingTheServiceWithLinksToTheReferenceAndHealth()
    {
        using var response = await SendAsync(HttpMethod.Get, "/", BrowserAccept);
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(html, Does.Contain("LinkTracking").And.Contain("version " + LinkTracking.WebApi.Infrastructure.FrontDoor.Version)
            .And.Contain("href=\"/scalar\"").And.Contain("href=\"/health/ready\""));
    }

    [Test]
    public async Task RobotsTxt_DisallowsTheRedirects()
    {
        using var response = await SendAsync(HttpMethod.Get, "/robots.txt", "text/plain");
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(text.Split('\n'), Does.Contain("User-agent: *").And.Contain("Disallow: /track/"));
    }

    [Test]
    public async Task Favicon_IsNoContent_NotA401()
    {
        using var response = await SendAsync(HttpMethod.Get, "/favicon.ico", "image/avif,image/webp,*/*");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }

    [Test]
    public async Task UnknownLink_WithoutAConfiguredRedirect_IsTheHtml404ForBrowsers()
    {
        using var response = await SendAsync(HttpMethod.Get, "/track/lt_zzzzzzzzzzzz", BrowserAccept);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
    }

    [Test]
    public async Task SessionCookie_OverPlainHttpWithoutAPublicHttpsBase_IsNotSecure()
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await SendAsync(HttpMethod.Get, $"/track/{trackingId}", BrowserAccept);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(response.Headers.GetValues("Set-Cookie").Single(), Does.StartWith("session_id=").And.Not.Contain("secure"));
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string accept)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return Anonymous.SendAsync(request);
    }
}

/// <summary>The front door with the configured redirects and an https public base (as behind a TLS-terminating proxy).</summary>
public sealed class FrontDoorRedirectTests(TestProvider provider) : ApiFixture(provider)
{
    private const string Home = "https://www.example.com/";
    private const string Invalid = "https://www.example.com/link-not-found";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["LinkTracking:PublicBaseUrl"] = "https://go.example.com",
        ["LinkTracking:Redirects:BaseUrl"] = Home,
        ["LinkTracking:Redirects:InvalidLink"] = Invalid,
    };

    [Test]
    public async Task Root_RedirectsToTheConfiguredBaseUrl()
    {
        using var response = await Anonymous.GetAsync("/");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo(Home));
    }

    [Test]
    public async Task UnknownAndInactiveLinks_RedirectBrowsersToTheConfiguredPage_AndRecordNoClick()
    {
        var inactive = await CreateLinkIdAsync();
        await SetActiveAsync(inactive, false);
        var before = await CountClicksAsync();

        using var unknown = await Anonymous.GetAsync("/track/lt_zzzzzzzzzzzz");
        using var deactivated = await Anonymous.GetAsync($"/track/{inactive}");
        var after = await CountClicksAsync();

        Assert.Multiple(() =>
        {
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            Assert.That(unknown.Headers.Location?.ToString(), Is.EqualTo(Invalid));
            Assert.That(deactivated.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            Assert.That(deactivated.Headers.Location?.ToString(), Is.EqualTo(Invalid));
            Assert.That(after, Is.EqualTo(before), "no click recorded");
        });
    }

    private async Task<int> CountClicksAsync()
    {
        await Factory.FlushClicksAsync();
        await using var db = Factory.Database.CreateContext();
        return db.Clicks.Count();
    }

    [Test]
    public async Task UnknownLink_ForAnApiClientAskingForJson_IsStillA404Problem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/track/lt_zzzzzzzzzzzz");
        request.Headers.Add("Accept", "application/json");

        using var response = await Anonymous.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task SessionCookie_WithAnHttpsPublicBase_IsSecureEvenOverPlainHttp()
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await Anonymous.GetAsync($"/track/{trackingId}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(response.Headers.GetValues("Set-Cookie").Single(), Does.StartWith("session_id=").And.Contain("secure"));
    }
}
