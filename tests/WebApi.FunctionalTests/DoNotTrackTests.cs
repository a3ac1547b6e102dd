using System.Net;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>With <c>Privacy:HonorDoNotTrack=true</c>, DNT / Sec-GPC redirects are counted without personal data.</summary>
public sealed class DoNotTrackTests(TestProvider provider) : ApiFixture(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Privacy:HonorDoNotTrack"] = "true",
    };

    [TestCase("DNT")]
    [TestCase("Sec-GPC")]
    public async Task Follow_WithPrivacySignal_RedirectsAndCountsTheClickWithoutIpOrSession(string header)
    {
        var trackingId = await CreateLinkIdAsync("https://example.com/private");

        using var response = await Send(trackingId, (header, "1"), (LinkTrackingApiFactory.RemoteIpHeader, "203.0.113.9"));
        var analytics = await GetJsonAsync($"{Api}/analytics/{trackingId}");

        var stats = analytics.GetProperty("click_statistics");
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo("https://example.com/private"));
            Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.EqualTo(1));
            Assert.That(stats.GetProperty("unique_ips").GetInt32(), Is.Zero);
            Assert.That(stats.GetProperty("unique_sessions").GetInt32(), Is.Zero);
            Assert.That(analytics.GetProperty("recent_clicks")[0].GetProperty("ip_partial").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
        });
    }

    [Test]
    public async Task Follow_WithDoNotTrack_SetsNoSessionCookie()
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await Send(trackingId, ("DNT", "1"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(response.Headers.Contains("Set-Cookie"), Is.False);
    }

    [Test]
    public async Task Follow_WithDoNotTrackAndAnExistingSessionCookie_DoesNotRecordTheSession()
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await Send(trackingId, ("DNT", "1"), ("Cookie", "session_id=visitor-7"));
        var stats = await GetStatisticsAsync(trackingId);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.EqualTo(1));
        Assert.That(stats.GetProperty("unique_sessions").GetInt32(), Is.Zero);
    }

    [Test]
    public async Task Follow_WithoutPrivacySignal_StillRecordsIpAndSession()
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await Send(trackingId, ("DNT", "0"), (LinkTrackingApiFactory.RemoteIpHeader, "203.0.113.9"));
        var stats = await GetStatisticsAsync(trackingId);

        Assert.That(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("session_id=", StringComparison.Ordinal)), Is.True);
        Assert.That(stats.GetProperty("unique_ips").GetInt32(), Is.EqualTo(1));
        Assert.That(stats.GetProperty("unique_sessions").GetInt32(), Is.EqualTo(1));
    }

    private async Task<HttpResponseMessage> Send(string trackingId, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/track/{trackingId}");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await Anonymous.SendAsync(request);
    }
}
