using System.Net;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>GDPR erasure over HTTP.</summary>
public sealed class PrivacyTests(TestProvider provider) : ApiFixture(provider)
{
    [Test]
    public async Task Erase_WithoutAFilter_IsRefused()
    {
        using var response = await Admin.DeleteAsync($"{Api}/privacy/clicks");

        await AssertValidationErrorAsync(response, "filter");
    }

    [Test]
    public async Task Erase_BySession_DeletesThatVisitorsClicksOnly()
    {
        var trackingId = await CreateLinkIdAsync();
        await SeedClicksAsync(
            Click(trackingId, TimeSpan.FromHours(3), sessionId: "visitor-1"),
            Click(trackingId, TimeSpan.FromHours(2), sessionId: "visitor-1"),
            Click(trackingId, TimeSpan.FromHours(1), sessionId: "visitor-2"));

        using var response = await Admin.DeleteAsync($"{Api}/privacy/clicks?session_id=visitor-1");
        var body = await ReadJsonAsync(response);
        var statistics = await GetStatisticsAsync(trackingId);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("deleted").GetInt32(), Is.EqualTo(2));
        Assert.That(statistics.GetProperty("total_clicks").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task Erase_WithABadIp_Is400()
    {
        using var response = await Admin.DeleteAsync($"{Api}/privacy/clicks?ip_address=999.1.1.1");

        await AssertValidationErrorAsync(response, "ip_address");
    }

    [Test]
    public async Task Erase_NeedsAdmin()
    {
        var key = await Factory.CreateApiKeyAsync("analytics:read", "links:write", "clicks:write");
        using var client = Factory.ClientWithKey(key);

        using var response = await client.DeleteAsync($"{Api}/privacy/clicks?session_id=x");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
