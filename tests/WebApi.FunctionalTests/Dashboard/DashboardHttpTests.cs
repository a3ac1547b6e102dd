using System.Net;
using System.Text.RegularExpressions;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests.Dashboard;

/// <summary>
/// The dashboard over plain HTTP (no browser needed): unknown ids and paths get its HTML not-found page, not the API's
/// problem document, and sign-in attempts are rate-limited per client IP.
/// </summary>
public sealed partial class DashboardHttpTests(TestProvider provider) : ApiFixture(provider)
{
    private const int SignInLimit = 3;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:SignInsPerMinutePerIp"] = SignInLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [TestCase("/dashboard/links/lt_zzzzzzzzzzzz")]
    [TestCase("/dashboard/links/not-a-tracking-id")]
    [TestCase("/dashboard/jobs/not-a-guid")]
    [TestCase("/dashboard/applications/not-a-guid")]
    [TestCase("/dashboard/no-such-page")]
    public async Task UnknownIdOrPath_SignedIn_IsTheDashboardsHtmlNotFoundPage(string path)
    {
        using var browser = await SignedInBrowserAsync(ClientIp());

        using var response = await browser.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(html, Does.Contain("<h1>Not found</h1>").And.Contain("href=\"/dashboard\""));
        Assert.That(html, Does.Contain("/dashboard/assets/dashboard.css"), "the page is in the dashboard's layout");
        Assert.That(response.Headers.TryGetValues("Content-Security-Policy", out var csp) ? csp.Single() : null, Does.Contain("script-src 'self'"));
    }

    [Test]
    public async Task NewLinkForm_WithoutBrandedDomains_HasNoDomainChoice()
    {
        using var browser = await SignedInBrowserAsync(ClientIp());

        var html = await browser.GetStringAsync(new Uri("/dashboard/links/new", UriKind.Relative));

        Assert.That(html, Does.Contain("name=\"original_url\"").And.Not.Contain("name=\"domain\""));
    }

    [Test]
    public async Task UnknownLink_OnTheApi_IsStillAProblemDocument()
    {
        using var response = await Admin.GetAsync($"{Api}/analytics/lt_zzzzzzzzzzzz");

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task KnownLink_SignedIn_IsItsPage()
    {
        var trackingId = await CreateLinkIdAsync();
        using var browser = await SignedInBrowserAsync(ClientIp());

        using var response = await browser.GetAsync($"/dashboard/links/{trackingId}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(trackingId).And.Not.Contain("<h1>Not found</h1>"));
    }

    [Test]
    public async Task LinkPageAndOverview_SayUpToWhenClicksAreCounted_AndHowSessionsAre()
    {
        var trackingId = await CreateLinkIdAsync();
        using var browser = await SignedInBrowserAsync(ClientIp());

        using var link = await browser.GetAsync($"/dashboard/links/{trackingId}");
        using var overview = await browser.GetAsync("/dashboard");

        var sessions = Provider == TestProvider.Postgres ? "estimates" : "exact";
        foreach (var html in new[] { await link.Content.ReadAsStringAsync(), await overview.Content.ReadAsStringAsync() })
        {
            Assert.That(html, Does.Contain("Clicks counted up to").And.Contain("data-as-of").And.Contain($"unique sessions are {sessions}"));
        }
    }

    [Test]
    public async Task CountryBreakdowns_LinkToDbIp_AsItsLicenceAsks_AndNoOtherBreakdownDoes()
    {
        var trackingId = await CreateLinkIdAsync();
        using var browser = await SignedInBrowserAsync(ClientIp());

        using var link = await browser.GetAsync($"/dashboard/links/{trackingId}");
        using var overview = await browser.GetAsync("/dashboard");
        var pages = new[] { await link.Content.ReadAsStringAsync(), await overview.Content.ReadAsStringAsync() };

        foreach (var html in pages)
        {
            var sections = BreakdownSection().Matches(html).ToDictionary(m => m.Groups["title"].Value, m => m.Value);
            Assert.That(sections, Does.ContainKey("Countries"), html);
            Assert.That(sections["Countries"], Does.Contain("<a href=\"https://db-ip.com/\">IP geolocation by DB-IP</a>"));
            Assert.That(sections.Where(s => s.Key != "Countries").Select(s => s.Value), Has.None.Contain("db-ip.com"));
        }
    }

    [Test]
    public async Task SignIn_AfterTheLimitOfAttemptsFromOneAddress_Is429_WhileAnotherAddressAndTheFormStillWork()
    {
        var ip = ClientIp();
        using var browser = Browser(ip);
        var token = await SignInFormTokenAsync(browser);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= SignInLimit; i++)
        {
            using var attempt = await PostSignInAsync(browser, token, "ltk_wrongwrongwrongwrongwrongwrongwrongwrong");
            statuses.Add(attempt.StatusCode);
        }

        using var refused = await PostSignInAsync(browser, token, LinkTrackingApiFactory.AdminKey);
        var page = await refused.Content.ReadAsStringAsync();
        using var form = await browser.GetAsync("/dashboard/sign-in");
        using var other = await SignedInBrowserAsync(ClientIp());
        using var otherOverview = await other.GetAsync("/dashboard");

        Assert.That(statuses.Take(SignInLimit), Is.All.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(statuses[SignInLimit], Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "even the right key waits for the window");
        Assert.That(refused.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
        Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(page, Does.Contain("Too many sign-in attempts"));
        Assert.That(form.StatusCode, Is.EqualTo(HttpStatusCode.OK), "showing the form is not an attempt");
        Assert.That(otherOverview.StatusCode, Is.EqualTo(HttpStatusCode.OK), "another address has its own budget");
    }

    private static int _lastIp;

    /// <summary>A client address of its own per use, so that one test's sign-ins do not count against another's.</summary>
    private static string ClientIp() => $"198.51.100.{Interlocked.Increment(ref _lastIp) % 250 + 1}";

    private HttpClient Browser(string ip) => DashboardBrowser.Open(Factory, ip);

    private async Task<HttpClient> SignedInBrowserAsync(string ip) => (await DashboardBrowser.SignInAsync(Factory, ip, LinkTrackingApiFactory.AdminKey)).Browser;

    private static Task<string> SignInFormTokenAsync(HttpClient browser) => DashboardBrowser.CsrfTokenAsync(browser, "/dashboard/sign-in");

    [GeneratedRegex("""<section class="card breakdown" aria-labelledby="breakdown-(?<title>[^"]+)">.*?</section>""", RegexOptions.Singleline)]
    private static partial Regex BreakdownSection();

    private static Task<HttpResponseMessage> PostSignInAsync(HttpClient browser, string token, string key) => DashboardBrowser.PostSignInAsync(browser, token, key);
}
