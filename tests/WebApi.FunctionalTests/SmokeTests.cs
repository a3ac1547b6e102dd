using System.Net;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

public sealed class SmokeTests(TestProvider provider) : ApiFixture(provider)
{
    [Test]
    public async Task CreatedLink_Redirects_AndItsClickIsCounted()
    {
        var link = await Factory.CreateLinkAsync(new { original_url = "https://www.linkedin.com/in/someone", link_function = "LinkedIn" });
        var trackingId = link.GetProperty("tracking_id").GetString();
        using var browser = Factory.ClientWithKey(null);

        using var redirect = await browser.GetAsync($"/track/{trackingId}");
        using var analytics = await Admin.GetAsync($"/api/v1/link-tracking/analytics/{trackingId}");

        Assert.That(redirect.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(redirect.Headers.Location?.ToString(), Is.EqualTo("https://www.linkedin.com/in/someone"));
        var stats = (await ReadJsonAsync(analytics)).GetProperty("click_statistics");
        Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.EqualTo(1));
    }
}
