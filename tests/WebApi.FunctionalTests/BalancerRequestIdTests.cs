using System.Net;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// <c>Network:RequestIdHeader</c>: the balancer's id of a request makes the redirect's click idempotent, so a request
/// the balancer sends again to another node (the first died mid-request) is counted once. Believed from trusted
/// proxies only (loopback here, as <c>X-Forwarded-For</c>).
/// </summary>
public sealed class BalancerRequestIdTests(TestProvider provider) : ApiFixture(provider)
{
    private const string RequestIdHeader = "X-Request-ID";
    private const string Balancer = "127.0.0.1";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Network:RequestIdHeader"] = RequestIdHeader,
    };

    [Test]
    public async Task TheSameRequestIdTwiceOnALink_FromTheBalancer_StoresOneClick()
    {
        var trackingId = await CreateLinkIdAsync();

        using var first = await FollowAsync(trackingId, Balancer, "7f3a9c2e-1b4d-4e8f-9a6b-0c5d2e1f3a4b");
        await Factory.FlushClicksAsync();
        Factory.Time.Advance(TimeSpan.FromMilliseconds(235)); // the retry reaches the other node a moment later
        using var retried = await FollowAsync(trackingId, Balancer, "7f3a9c2e-1b4d-4e8f-9a6b-0c5d2e1f3a4b");
        using var next = await FollowAsync(trackingId, Balancer, "0d8e6f1a-2c3b-4a5d-8e7f-9b0c1d2e3f4a");
        var stats = await GetStatisticsAsync(trackingId);

        Assert.That(new[] { first.StatusCode, retried.StatusCode, next.StatusCode }, Is.All.EqualTo(HttpStatusCode.Found));
        Assert.That(await StoredClicksAsync(trackingId), Is.EqualTo(2));
        Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.EqualTo(2));
    }

    [Test]
    public async Task TheSameRequestIdOnTwoLinks_StoresAClickOnEach()
    {
        var one = await CreateLinkIdAsync();
        var other = await CreateLinkIdAsync();

        using var first = await FollowAsync(one, Balancer, "req-42");
        using var second = await FollowAsync(other, Balancer, "req-42");

        Assert.That(await StoredClicksAsync(one), Is.EqualTo(1));
        Assert.That(await StoredClicksAsync(other), Is.EqualTo(1));
    }

    [Test]
    public async Task ARequestIdFromAnUntrustedPeer_IsIgnored_AndEveryRequestCounts()
    {
        var trackingId = await CreateLinkIdAsync();

        using var first = await FollowAsync(trackingId, "203.0.113.50", "req-forged");
        using var second = await FollowAsync(trackingId, "203.0.113.50", "req-forged");

        Assert.That(await StoredClicksAsync(trackingId), Is.EqualTo(2));
    }

    private async Task<HttpResponseMessage> FollowAsync(string trackingId, string peer, string requestId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/track/{trackingId}");
        request.Headers.TryAddWithoutValidation(LinkTrackingApiFactory.RemoteIpHeader, peer);
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "198.51.100.7");
        request.Headers.TryAddWithoutValidation(RequestIdHeader, requestId);
        var response = await Anonymous.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        return response;
    }

    private async Task<int> StoredClicksAsync(string trackingId)
    {
        await Factory.FlushClicksAsync();
        await using var db = Factory.Database.CreateContext();
        return (await db.Clicks.AsNoTracking().ToListAsync()).Count(c => c.TrackingId.Value == trackingId);
    }
}
