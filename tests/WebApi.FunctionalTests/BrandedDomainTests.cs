using System.Net;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// Issue 29, item 2: links on branded domains (<c>LinkTracking:Domains</c>), routed by the host the visitor asked for,
/// over HTTP on both providers. <c>go.brand.test</c> serves codes under <c>/r</c>, <c>links.other.test</c> at the root;
/// the default domain is <c>PublicBaseUrl</c>'s host (and loopback).
/// </summary>
public sealed class BrandedDomainTests(TestProvider provider) : ApiFixture(provider)
{
    private const string Brand = "go.brand.test";
    private const string Other = "links.other.test";
    private const string Default = "go.example.org";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["LinkTracking:PublicBaseUrl"] = $"https://{Default}",
        ["LinkTracking:Domains:0:Host"] = Brand,
        ["LinkTracking:Domains:0:ShortPath"] = "/r",
        ["LinkTracking:Domains:1:Host"] = "Links.Other.Test",
    };

    [Test]
    public async Task Create_OnADomain_AnswersItsShortRedirectUrl()
    {
        var link = await CreateAsync(Brand);

        var code = link.GetProperty("short_code").GetString();
        Assert.Multiple(() =>
        {
            Assert.That(code, Does.Match("^[a-z0-9]{7}$"));
            Assert.That(link.GetProperty("domain").GetString(), Is.EqualTo(Brand));
            Assert.That(link.GetProperty("redirect_url").GetString(), Is.EqualTo($"https://{Brand}/r/{code}"));
        });
    }

    [Test]
    public async Task Create_OnADomainWithoutShortPath_AnswersACodeAtTheRoot()
    {
        var link = await CreateAsync("LINKS.other.test");

        Assert.That(link.GetProperty("redirect_url").GetString(), Is.EqualTo($"https://{Other}/{link.GetProperty("short_code").GetString()}"));
    }

    [Test]
    public async Task Create_WithoutDomain_IsUnchanged()
    {
        var link = await Factory.CreateLinkAsync(new { original_url = "https://example.com/a", link_function = "Portfolio" });

        Assert.Multiple(() =>
        {
            Assert.That(link.GetProperty("redirect_url").GetString(), Is.EqualTo($"https://{Default}/track/{link.GetProperty("tracking_id").GetString()}"));
            Assert.That(link.GetProperty("domain").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
            Assert.That(link.GetProperty("short_code").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
        });
    }

    [TestCase("unknown.test")]
    [TestCase(Default)]
    public async Task Create_OnAHostThatIsNotConfigured_IsAProblemNamingDomain(string domain)
    {
        using var response = await PostJsonAsync(Admin, $"{Api}/create", new { original_url = "https://example.com/a", link_function = "Portfolio", domain });

        await AssertValidationErrorAsync(response, "domain");
    }

    [Test]
    public async Task Follow_OnItsOwnDomain_RedirectsAndRecordsTheClick()
    {
        var link = await CreateAsync(Brand);

        using var response = await SendAsync(Brand, $"/r/{link.GetProperty("short_code").GetString()}");
        var stats = await GetStatisticsAsync(link.GetProperty("tracking_id").GetString()!, "?include_bots=true");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo("https://example.com/branded"));
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
            Assert.That(response.Headers.GetValues("Set-Cookie").Single(), Does.Contain("path=/r").IgnoreCase);
            Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Follow_AtTheRootOfADomainWithoutShortPath_Redirects()
    {
        var link = await CreateAsync(Other);

        using var response = await SendAsync(Other, $"/{link.GetProperty("short_code").GetString()}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
    }

    [Test]
    public async Task Follow_UnderAnotherShortPathOfItsDomain_IsNotFound()
    {
        var link = await CreateAsync(Other);

        using var response = await SendAsync(Other, $"/r/{link.GetProperty("short_code").GetString()}");

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Follow_OnAnotherConfiguredDomain_IsNotFoundAndRecordsNothing()
    {
        var link = await CreateAsync(Brand);
        var code = link.GetProperty("short_code").GetString();
        var trackingId = link.GetProperty("tracking_id").GetString()!;

        using var otherHost = await SendAsync(Other, $"/r/{code}");
        using var defaultHost = await SendAsync(Default, $"/r/{code}");
        using var trackOnDefault = await SendAsync(Default, $"/track/{trackingId}");
        var stats = await GetStatisticsAsync(trackingId, "?include_bots=true");

        await AssertProblemAsync(otherHost, HttpStatusCode.NotFound);
        await AssertProblemAsync(defaultHost, HttpStatusCode.NotFound);
        await AssertProblemAsync(trackOnDefault, HttpStatusCode.NotFound);
        Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.EqualTo(0));
    }

    [Test]
    public async Task Follow_ALinkOfTheDefaultDomainOnABrandedHost_IsNotFound()
    {
        var trackingId = await CreateLinkIdAsync();

        using var branded = await SendAsync(Brand, $"/track/{trackingId}");
        using var defaultHost = await SendAsync(Default, $"/track/{trackingId}");

        await AssertProblemAsync(branded, HttpStatusCode.NotFound);
        Assert.That(defaultHost.StatusCode, Is.EqualTo(HttpStatusCode.Found));
    }

    [Test]
    public async Task Follow_OnAnUnknownHost_IsMisdirected_WhileTheApiStaysReachable()
    {
        var link = await CreateAsync(Brand);

        using var response = await SendAsync("unknown.test", $"/r/{link.GetProperty("short_code").GetString()}");
        using var health = await SendAsync("unknown.test", "/track/health");

        var problem = await AssertProblemAsync(response, (HttpStatusCode)421);
        Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo("Misdirected request"));
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Follow_WithForwardedHostFromATrustedProxy_UsesTheForwardedHost()
    {
        var link = await CreateAsync(Brand);
        var path = $"/r/{link.GetProperty("short_code").GetString()}";

        using var response = await SendAsync("10.0.0.5", path, (LinkTrackingApiFactory.RemoteIpHeader, "127.0.0.1"), ("X-Forwarded-Host", Brand));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
    }

    [Test]
    public async Task Follow_WithForwardedHostFromAnUntrustedClient_IgnoresIt()
    {
        var link = await CreateAsync(Brand);
        var path = $"/r/{link.GetProperty("short_code").GetString()}";

        using var forged = await SendAsync(Other, path, (LinkTrackingApiFactory.RemoteIpHeader, "203.0.113.50"), ("X-Forwarded-Host", Brand));

        await AssertProblemAsync(forged, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Follow_AnUnknownCode_IsNotFound()
    {
        using var response = await SendAsync(Brand, "/r/zzzzzzz");

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Follow_Warm_IsAnsweredFromTheCacheWithoutReadingTheDatabase()
    {
        var link = await CreateAsync(Brand);
        var path = $"/r/{link.GetProperty("short_code").GetString()}";
        using var first = await SendAsync(Brand, path);
        await using (var db = Factory.Database.CreateContext())
        {
            // Behind the cache's back: a lookup that went to the database now would find nothing.
            await db.Links.ExecuteUpdateAsync(l => l.SetProperty(x => x.ShortCode, "zzzzzzz"));
        }

        using var second = await SendAsync(Brand, path);

        Assert.That((first.StatusCode, second.StatusCode), Is.EqualTo((HttpStatusCode.Found, HttpStatusCode.Found)));
    }

    [Test]
    public async Task RobotsAndRoot_OnABrandedHost_DisallowAllAndShowNothing()
    {
        using var robots = await SendAsync(Brand, "/robots.txt");
        using var root = await SendAsync(Brand, "/");
        using var defaultRobots = await SendAsync(Default, "/robots.txt");

        Assert.Multiple(async () =>
        {
            Assert.That(await robots.Content.ReadAsStringAsync(), Is.EqualTo("User-agent: *\nDisallow: /\n"));
            Assert.That(root.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await root.Content.ReadAsStringAsync(), Does.Not.Contain("LinkTracking"));
            Assert.That(await defaultRobots.Content.ReadAsStringAsync(), Is.EqualTo("User-agent: *\nDisallow: /track/\n"));
        });
    }

    [Test]
    public async Task ShortCode_IsUniquePerDomain_NotAcrossDomains()
    {
        var first = await CreateAsync(Brand);
        await using var db = Factory.Database.CreateContext();
        var stored = await db.Links.SingleAsync();
        var code = first.GetProperty("short_code").GetString()!;
        var twin = Domain.Links.TrackedLink.Create(Domain.Links.TrackingId.NewId(), Domain.Links.TargetUrl.Create("https://example.com/x"), "Portfolio", null, null, null, null, null, Now.UtcDateTime);
        twin.PlaceOnDomain(Brand, code);
        var elsewhere = Domain.Links.TrackedLink.Create(Domain.Links.TrackingId.NewId(), Domain.Links.TargetUrl.Create("https://example.com/y"), "Portfolio", null, null, null, null, null, Now.UtcDateTime);
        elsewhere.PlaceOnDomain(Other, code);

        db.Links.Add(elsewhere);
        await db.SaveChangesAsync();
        db.Links.Add(twin);

        Assert.That(stored.ShortCode, Is.EqualTo(code));
        Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Test]
    public async Task Dashboard_NewLinkForm_OffersTheDomainsAndCreatesAShortLink()
    {
        var (browser, _) = await Dashboard.DashboardBrowser.SignInAsync(Factory, "198.51.100.7", LinkTrackingApiFactory.AdminKey);
        using (browser)
        {
            var form = await browser.GetStringAsync(new Uri("/dashboard/links/new", UriKind.Relative));
            var token = await Dashboard.DashboardBrowser.CsrfTokenAsync(browser, "/dashboard/links/new");

            using var created = await browser.PostAsync(new Uri("/dashboard/links/new", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["csrf_token"] = token,
                ["original_url"] = "https://example.com/from-dashboard",
                ["link_function"] = "Portfolio",
                ["domain"] = Brand,
            }));
            await using var db = Factory.Database.CreateContext();
            var link = await db.Links.SingleAsync();

            Assert.That(form, Does.Contain("<select id=\"domain\" name=\"domain\"").And.Contain($"<option value=\"{Brand}\">"));
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await created.Content.ReadAsStringAsync());
            Assert.That(link.Domain, Is.EqualTo(Brand));
            Assert.That(link.ShortCode, Does.Match("^[a-z0-9]{7}$"));
        }
    }

    private async Task<System.Text.Json.JsonElement> CreateAsync(string domain) =>
        await Factory.CreateLinkAsync(new { original_url = "https://example.com/branded", link_function = "Portfolio", domain });

    private async Task<HttpResponseMessage> SendAsync(string host, string path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{host}{path}"));
        request.Headers.Accept.ParseAdd("application/json");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await Anonymous.SendAsync(request);
    }
}

/// <summary><c>LinkTracking:Domains</c> the service cannot work with stop it at start-up, naming the key.</summary>
public sealed class BrandedDomainOptionsTests
{
    [TestCase("https://go.brand.test/", null)]
    [TestCase("go.brand.test:8443", null)]
    [TestCase("go.brand.test", "r")]
    [TestCase("go.brand.test", "/r/s")]
    [TestCase("go.brand.test", "/track")]
    [TestCase("go.example.com", null)]
    public async Task Start_WithAnUnusableDomain_FailsNamingTheKey(string host, string? shortPath)
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite, migrate: false);
        await using var factory = new LinkTrackingApiFactory(database, new Dictionary<string, string?>
        {
            ["LinkTracking:PublicBaseUrl"] = "https://go.example.com",
            ["LinkTracking:Domains:0:Host"] = host,
            ["LinkTracking:Domains:0:ShortPath"] = shortPath,
        });

        var failure = Assert.Catch(() => factory.CreateClient());

        Assert.That(failure?.ToString(), Does.Contain("LinkTracking:Domains"));
        Assert.That(failure?.ToString(), Does.Contain(nameof(OptionsValidationException)));
    }

    [Test]
    public async Task Start_WithAHostListedTwice_FailsNamingIt()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite, migrate: false);
        await using var factory = new LinkTrackingApiFactory(database, new Dictionary<string, string?>
        {
            ["LinkTracking:Domains:0:Host"] = "go.brand.test",
            ["LinkTracking:Domains:1:Host"] = "GO.brand.test",
        });

        var failure = Assert.Catch(() => factory.CreateClient());

        Assert.That(failure?.ToString(), Does.Contain("'go.brand.test' is listed more than once"));
    }
}
