using System.Net;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>Requests for unknown or malformed tracking ids: recorded, capped per address and per day, listed.</summary>
public sealed class OrphanVisitTests(TestProvider provider) : ApiFixture(provider)
{
    private const int PerIpCap = 3;
    private const int DailyCap = 5;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["OrphanVisits:MaxPerIpPerDay"] = PerIpCap.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["OrphanVisits:MaxPerDay"] = DailyCap.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Test]
    public async Task UnknownAndMalformedIds_AreListedWithMaskedAddressAgentAndReferrer_AndKnownLinksAreNot()
    {
        var trackingId = await CreateLinkIdAsync();
        await SetActiveAsync(await CreateLinkIdAsync(), active: false);
        using var known = await Anonymous.GetAsync($"/track/{trackingId}");
        using var unknown = await Visit("/track/lt_doesnotexist1", "198.51.100.23", "https://mail.example.com/inbox");
        using var malformed = await Visit("/track/wp-login.php", "2001:db8:85a3::8a2e:370:7334");

        var body = await GetJsonAsync($"{Api}/orphan-visits?days=7");

        Assert.That(known.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(malformed.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var visits = body.GetProperty("visits").EnumerateArray().ToList();
        Assert.That(visits.Select(v => v.GetProperty("path").GetString()), Is.EquivalentTo(new[] { "/track/lt_doesnotexist1", "/track/wp-login.php" }), body.ToString());
        var first = visits.Single(v => v.GetProperty("path").GetString() == "/track/lt_doesnotexist1");
        Assert.That(first.GetProperty("ip_partial").GetString(), Is.EqualTo("198.51.100.*"));
        Assert.That(first.GetProperty("referrer").GetString(), Is.EqualTo("https://mail.example.com/inbox"));
        Assert.That(first.GetProperty("user_agent").GetString(), Does.Contain("Chrome/126"));
        Assert.That(first.GetProperty("bot_category").GetString(), Is.EqualTo("human"));
        Assert.That(visits.Single(v => v.GetProperty("path").GetString() == "/track/wp-login.php").GetProperty("ip_partial").GetString(), Is.EqualTo("2001:db8:85a3:*"));
        Assert.That(body.GetProperty("total_visits").GetInt32(), Is.EqualTo(2));
    }

    [Test]
    public async Task Visits_AreCountedPerDay_OverTheDaysAskedFor()
    {
        using var first = await Visit("/track/lt_missing000001", "198.18.1.1");
        Factory.Time.Advance(TimeSpan.FromDays(1));
        using var second = await Visit("/track/lt_missing000002", "198.18.2.1");
        using var third = await Visit("/track/lt_missing000003", "198.18.3.1");

        var body = await GetJsonAsync($"{Api}/orphan-visits?days=3");

        var days = body.GetProperty("visits_by_day").EnumerateArray().ToList();
        var today = DateOnly.FromDateTime(Factory.Time.GetUtcNow().UtcDateTime);
        Assert.That(days.Select(d => d.GetProperty("date").GetString()), Is.EqualTo(new[] { today.AddDays(-2), today.AddDays(-1), today }.Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))));
        Assert.That(days.Select(d => d.GetProperty("visits").GetInt32()), Is.EqualTo(new[] { 0, 1, 2 }));
    }

    [Test]
    public async Task OneAddress_IsCappedPerDay()
    {
        for (var i = 0; i < PerIpCap + 4; i++)
        {
            // The same /24: a scan from neighbouring addresses counts as one.
            using var response = await Visit($"/track/lt_scan{i:D10}", $"203.0.113.{10 + i}");
        }

        using var other = await Visit("/track/lt_otheraddress1", "192.0.2.7");
        var body = await GetJsonAsync($"{Api}/orphan-visits?days=1");

        var visits = body.GetProperty("visits").EnumerateArray().ToList();
        Assert.That(visits.Count(v => v.GetProperty("ip_partial").GetString() == "203.0.113.*"), Is.EqualTo(PerIpCap), body.ToString());
        Assert.That(visits.Count(v => v.GetProperty("ip_partial").GetString() == "192.0.2.*"), Is.EqualTo(1));
    }

    [Test]
    public async Task AllAddressesTogether_AreCappedPerDay()
    {
        for (var i = 0; i < DailyCap + 5; i++)
        {
            using var response = await Visit($"/track/lt_wide{i:D10}", $"10.{i}.0.1");
        }

        var body = await GetJsonAsync($"{Api}/orphan-visits?days=1");

        Assert.That(body.GetProperty("total_visits").GetInt32(), Is.EqualTo(DailyCap), body.ToString());
    }

    [TestCase("0")]
    [TestCase("91")]
    [TestCase("week")]
    public async Task List_WithBadDays_Returns400NamingDays(string days)
    {
        using var response = await Admin.GetAsync($"{Api}/orphan-visits?days={days}");

        await AssertValidationErrorAsync(response, "days");
    }

    private async Task<HttpResponseMessage> Visit(string path, string ip, string? referrer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(LinkTrackingApiFactory.RemoteIpHeader, ip);
        if (referrer is not null)
        {
            request.Headers.Referrer = new Uri(referrer);
        }

        return await Anonymous.SendAsync(request);
    }
}
