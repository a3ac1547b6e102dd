using System.Net;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>Click source detection from the referrer, for partner clicks and for our own redirect.</summary>
public sealed class ClickSourceTests(TestProvider provider) : ApiFixture(provider)
{
    private const string DashboardHost = "dashboard.jobs.example.com";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["LinkTracking:DashboardHosts:0"] = DashboardHost,
    };

    [TestCase(null, "direct")]
    [TestCase("", "direct")]
    [TestCase("https://mail.google.com/mail/u/0/#inbox", "email")]
    [TestCase("https://gmail.com/", "email")]
    [TestCase("https://outlook.live.com/mail/0/", "email")]
    [TestCase("https://outlook.com/", "email")]
    [TestCase("https://mail.yahoo.com/d/folders/1", "email")]
    [TestCase("https://www.linkedin.com/feed/", "linkedin")]
    [TestCase("https://linkedin.com/in/someone", "linkedin")]
    [TestCase("https://lnkd.in/abc123", "linkedin")]
    [TestCase("https://indeed.com/viewjob?jk=1", "indeed")]
    [TestCase("https://uk.indeed.com/jobs", "indeed")]
    [TestCase("https://dashboard.jobs.example.com/applications/7", "dashboard")]
    [TestCase("https://www.google.com/search?q=jobs", "external")]
    [TestCase("https://notlinkedin.com/", "external")]
    [TestCase("https://linkedin.com.evil.example/", "external")]
    [TestCase("https://jobs.example.com/", "external")]
    public async Task RecordClick_WithReferrer_DetectsTheSource(string? referrer, string expected)
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await PostJsonAsync(Admin, $"{Api}/record-click", new { tracking_id = trackingId, referrer_url = referrer });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadJsonAsync(response)).GetProperty("click_source").GetString(), Is.EqualTo(expected));
    }

    [Test]
    public async Task RecordClick_WithExplicitClickSource_KeepsItOverTheReferrer()
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await PostJsonAsync(Admin, $"{Api}/record-click", new { tracking_id = trackingId, referrer_url = "https://www.linkedin.com/feed/", click_source = "newsletter" });
        var stats = await GetStatisticsAsync(trackingId);

        Assert.That((await ReadJsonAsync(response)).GetProperty("click_source").GetString(), Is.EqualTo("newsletter"));
        Assert.That(Names(stats.GetProperty("clicks_by_source")), Is.EqualTo(new[] { "newsletter" }));
    }

    [TestCase(null, "direct")]
    [TestCase("https://mail.google.com/mail/u/0/", "email")]
    [TestCase("https://www.linkedin.com/feed/", "linkedin")]
    [TestCase("https://lnkd.in/xyz", "linkedin")]
    [TestCase("https://www.indeed.com/", "indeed")]
    [TestCase("https://dashboard.jobs.example.com/", "dashboard")]
    [TestCase("https://news.ycombinator.com/", "external")]
    public async Task Follow_WithReferer_CountsTheClickUnderTheDetectedSource(string? referer, string expected)
    {
        var trackingId = await CreateLinkIdAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/track/{trackingId}");
        if (referer is not null)
        {
            request.Headers.Referrer = new Uri(referer);
        }

        using var response = await Anonymous.SendAsync(request);
        var stats = await GetStatisticsAsync(trackingId);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        var bySource = stats.GetProperty("clicks_by_source");
        Assert.That(Names(bySource), Is.EqualTo(new[] { expected }));
        Assert.That(bySource.GetProperty(expected).GetInt32(), Is.EqualTo(1));
    }
}
