using System.Net;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

public sealed class LinkActivationTests(TestProvider provider) : ApiFixture(provider)
{
    [Test]
    public async Task Deactivate_WhenLinkIsActive_ReturnsTheLinkAsInactive()
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await Admin.PostAsync($"{Api}/links/{trackingId}/deactivate", null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var link = await ReadJsonAsync(response);
        Assert.That(link.GetProperty("tracking_id").GetString(), Is.EqualTo(trackingId));
        Assert.That(link.GetProperty("is_active").GetBoolean(), Is.False);
    }

    [Test]
    public async Task Deactivate_AfterTheLinkWasFollowed_StopsTheRedirectAtOnce()
    {
        var trackingId = await CreateLinkIdAsync();
        using var before = await Anonymous.GetAsync($"/track/{trackingId}");

        await SetActiveAsync(trackingId, active: false);
        using var after = await Anonymous.GetAsync($"/track/{trackingId}");

        Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(after.Headers.Location, Is.Null);
    }

    [Test]
    public async Task Activate_AfterDeactivate_RedirectsAgain()
    {
        var trackingId = await CreateLinkIdAsync("https://example.com/back");
        await SetActiveAsync(trackingId, active: false);
        using var whileInactive = await Anonymous.GetAsync($"/track/{trackingId}");

        using var response = await Admin.PostAsync($"{Api}/links/{trackingId}/activate", null);
        using var redirect = await Anonymous.GetAsync($"/track/{trackingId}");

        Assert.That(whileInactive.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await ReadJsonAsync(response)).GetProperty("is_active").GetBoolean(), Is.True);
        Assert.That(redirect.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(redirect.Headers.Location?.ToString(), Is.EqualTo("https://example.com/back"));
    }

    [Test]
    public async Task Deactivate_WhenAlreadyInactive_ReturnsTheLinkStillInactive()
    {
        var trackingId = await CreateLinkIdAsync();
        await SetActiveAsync(trackingId, active: false);

        using var response = await Admin.PostAsync($"{Api}/links/{trackingId}/deactivate", null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await ReadJsonAsync(response)).GetProperty("is_active").GetBoolean(), Is.False);
    }

    [Test]
    public async Task Deactivate_KeepsTheLinksClicksInAnalytics()
    {
        var trackingId = await CreateLinkIdAsync();
        using var click = await Anonymous.GetAsync($"/track/{trackingId}");

        await SetActiveAsync(trackingId, active: false);
        var analytics = await GetJsonAsync($"{Api}/analytics/{trackingId}");

        Assert.That(click.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(analytics.GetProperty("link_info").GetProperty("is_active").GetBoolean(), Is.False);
        Assert.That(analytics.GetProperty("click_statistics").GetProperty("total_clicks").GetInt32(), Is.EqualTo(1));
    }

    [TestCase("deactivate")]
    [TestCase("activate")]
    public async Task SetActive_WhenLinkIsUnknown_ReturnsNotFound(string action)
    {
        using var response = await Admin.PostAsync($"{Api}/links/lt_doesnotexist1/{action}", null);

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [TestCase("deactivate")]
    [TestCase("activate")]
    public async Task SetActive_WhenTrackingIdIsMalformed_ReturnsValidationError(string action)
    {
        using var response = await Admin.PostAsync($"{Api}/links/NOT_AN_ID/{action}", null);

        await AssertValidationErrorAsync(response, "tracking_id");
    }
}
