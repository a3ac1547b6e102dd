using System.Net;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// One rule for an address at every way in: an IPv4-mapped IPv6 address (<c>::ffff:a.b.c.d</c>) is the IPv4 address,
/// whether a browser's connection, a partner's click or an erasure request brings it.
/// </summary>
public sealed class IpAddressNormalisationTests(TestProvider provider) : ApiFixture(provider)
{
    [Test]
    public async Task ClicksFromTheMappedAndThePlainFormOfAnAddress_AreStoredAsTheIpv4Address_AndCountedAsOneAddress()
    {
        var trackingId = await CreateLinkIdAsync();

        using var partner = await PostJsonAsync(Admin, $"{Api}/record-click", new { tracking_id = trackingId, ip_address = "::ffff:203.0.113.7" });
        using var batch = await PostJsonAsync(Admin, $"{Api}/record-clicks", new { clicks = new[] { new { tracking_id = trackingId, ip_address = "::FFFF:203.0.113.7" } } });
        using var redirect = await SendRedirectAsync(trackingId, "::ffff:203.0.113.7");
        using var plain = await SendRedirectAsync(trackingId, "203.0.113.7");
        var stats = await GetStatisticsAsync(trackingId);

        Assert.That(partner.StatusCode, Is.EqualTo(HttpStatusCode.Created), await partner.Content.ReadAsStringAsync());
        Assert.That(batch.StatusCode, Is.EqualTo(HttpStatusCode.OK), await batch.Content.ReadAsStringAsync());
        Assert.That(await StoredAddressesAsync(), Is.EqualTo(Enumerable.Repeat(IPAddress.Parse("203.0.113.7"), 4)));
        Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.EqualTo(4));
        Assert.That(stats.GetProperty("unique_ips").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task Erasure_ByTheMappedForm_ErasesTheClicksOfTheIpv4Address()
    {
        var trackingId = await CreateLinkIdAsync();
        using var redirect = await SendRedirectAsync(trackingId, "203.0.113.7");

        using var erase = await Admin.DeleteAsync($"{Api}/privacy/clicks?ip_address=%3A%3Affff%3A203.0.113.7");

        Assert.That(erase.StatusCode, Is.EqualTo(HttpStatusCode.OK), await erase.Content.ReadAsStringAsync());
        Assert.That(await StoredAddressesAsync(), Is.Empty);
    }

    private async Task<HttpResponseMessage> SendRedirectAsync(string trackingId, string remoteIp)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/track/{trackingId}");
        request.Headers.TryAddWithoutValidation(LinkTrackingApiFactory.RemoteIpHeader, remoteIp);
        var response = await Anonymous.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        return response;
    }

    private async Task<List<IPAddress?>> StoredAddressesAsync()
    {
        await Factory.FlushClicksAsync();
        await using var db = Factory.Database.CreateContext();
        return await db.Clicks.AsNoTracking().Select(c => c.IpAddress).ToListAsync();
    }
}
