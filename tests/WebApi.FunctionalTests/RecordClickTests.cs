using System.Net;
using System.Text.Json;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>POST record-click: one click seen by a partner's redirector.</summary>
public sealed class RecordClickTests(TestProvider provider) : ApiFixture(provider)
{
    private const string RecordClick = Api + "/record-click";

    [Test]
    public async Task RecordClick_WithTrackingIdOnly_ReturnsReceiptStampedNow()
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await PostJsonAsync(Admin, RecordClick, new { tracking_id = trackingId });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var receipt = await ReadJsonAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(receipt.GetProperty("click_id").GetGuid(), Is.Not.EqualTo(Guid.Empty));
            Assert.That(receipt.GetProperty("tracking_id").GetString(), Is.EqualTo(trackingId));
            Assert.That(receipt.GetProperty("clicked_at").GetString(), Is.EqualTo("2025-07-27T15:00:00Z"));
            Assert.That(receipt.GetProperty("click_source").GetString(), Is.EqualTo("direct"));
        });
    }

    [Test]
    public async Task RecordClick_WithAllFields_StoresTheClickForAnalytics()
    {
        var trackingId = await CreateLinkIdAsync();
        var body = new
        {
            tracking_id = trackingId,
            clicked_at = "2025-07-27T12:30:00Z",
            ip_address = "198.51.100.23",
            user_agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
            referrer_url = "https://mail.google.com/mail/u/0/",
            session_id = "partner-session-1",
            metadata = new { campaign = "july", position = 3 },
            event_id = "evt-0001",
        };

        using var response = await PostJsonAsync(Admin, RecordClick, body);
        var analytics = await GetJsonAsync($"{Api}/analytics/{trackingId}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var stats = analytics.GetProperty("click_statistics");
        var recent = analytics.GetProperty("recent_clicks")[0];
        Assert.Multiple(() =>
        {
            Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.EqualTo(1));
            Assert.That(stats.GetProperty("unique_sessions").GetInt32(), Is.EqualTo(1));
            Assert.That(stats.GetProperty("unique_ips").GetInt32(), Is.EqualTo(1));
            Assert.That(stats.GetProperty("clicks_by_source").GetProperty("email").GetInt32(), Is.EqualTo(1));
            Assert.That(recent.GetProperty("clicked_at").GetString(), Is.EqualTo("2025-07-27T12:30:00Z"));
            Assert.That(recent.GetProperty("ip_partial").GetString(), Is.EqualTo("198.51.100.*"));
        });
    }

    [Test]
    public async Task RecordClick_WithMetadataObject_StoresIt()
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await PostJsonAsync(Admin, RecordClick, new { tracking_id = trackingId, metadata = new { campaign = "july", position = 3 } });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        await Factory.FlushClicksAsync();
        await using var db = Factory.Database.CreateContext();
        var stored = (await db.Clicks.AsNoTracking().ToListAsync()).Single();
        using var metadata = JsonDocument.Parse(stored.Metadata!);
        Assert.That(metadata.RootElement.GetProperty("campaign").GetString(), Is.EqualTo("july"));
        Assert.That(metadata.RootElement.GetProperty("position").GetInt32(), Is.EqualTo(3));
    }

    [Test]
    public async Task RecordClick_WithClickedAtInAnotherOffset_ReturnsItInUtc()
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await PostJsonAsync(Admin, RecordClick, new { tracking_id = trackingId, clicked_at = "2025-07-27T10:30:00+02:00" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadJsonAsync(response)).GetProperty("clicked_at").GetString(), Is.EqualTo("2025-07-27T08:30:00Z"));
    }

    [Test]
    public async Task RecordClick_WithClickedAtFourMinutesAhead_IsAccepted()
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await PostJsonAsync(Admin, RecordClick, new { tracking_id = trackingId, clicked_at = Now.AddMinutes(4) });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task RecordClick_WhenClickedAtIsMoreThanFiveMinutesAhead_ReturnsValidationError()
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await PostJsonAsync(Admin, RecordClick, new { tracking_id = trackingId, clicked_at = Now.AddMinutes(6) });

        await AssertValidationErrorAsync(response, "clicked_at");
    }

    [Test]
    public async Task RecordClick_WhenClickedAtIsNotADate_ReturnsValidationError()
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await PostJsonAsync(Admin, RecordClick, new { tracking_id = trackingId, clicked_at = "yesterday" });

        await AssertValidationErrorAsync(response, "clicked_at");
    }

    [Test]
    public async Task RecordClick_WithIPv6Address_ShowsItMasked()
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await PostJsonAsync(Admin, RecordClick, new { tracking_id = trackingId, ip_address = "2001:db8:85a3::8a2e:370:7334" });
        var analytics = await GetJsonAsync($"{Api}/analytics/{trackingId}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That(analytics.GetProperty("recent_clicks")[0].GetProperty("ip_partial").GetString(), Is.EqualTo("2001:db8:85a3:*"));
    }

    [TestCase("999.1.1.1")]
    [TestCase("not-an-ip")]
    [TestCase("1")]
    [TestCase("0x7f000001")]
    [TestCase("203.0.113")]
    public async Task RecordClick_WhenIpAddressIsInvalid_ReturnsValidationError(string ip)
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await PostJsonAsync(Admin, RecordClick, new { tracking_id = trackingId, ip_address = ip });

        await AssertValidationErrorAsync(response, "ip_address");
    }

    [TestCase("user_agent", 1001)]
    [TestCase("referrer_url", 1001)]
    [TestCase("session_id", 101)]
    [TestCase("click_source", 51)]
    [TestCase("event_id", 101)]
    public async Task RecordClick_WhenTextFieldIsTooLong_ReturnsValidationErrorNamingIt(string field, int length)
    {
        var trackingId = await CreateLinkIdAsync();
        var body = new Dictionary<string, object> { ["tracking_id"] = trackingId, [field] = new string('x', length) };

        using var response = await PostJsonAsync(Admin, RecordClick, body);

        await AssertValidationErrorAsync(response, field);
    }

    [TestCase("user_agent", 1000)]
    [TestCase("referrer_url", 1000)]
    [TestCase("session_id", 100)]
    [TestCase("click_source", 50)]
    [TestCase("event_id", 100)]
    public async Task RecordClick_WhenTextFieldIsAtItsLimit_IsAccepted(string field, int length)
    {
        var trackingId = await CreateLinkIdAsync();
        var body = new Dictionary<string, object> { ["tracking_id"] = trackingId, [field] = new string('x', length) };

        using var response = await PostJsonAsync(Admin, RecordClick, body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task RecordClick_WhenMetadataIsNotAnObject_ReturnsValidationError()
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await PostJsonAsync(Admin, RecordClick, new { tracking_id = trackingId, metadata = new[] { 1, 2, 3 } });

        await AssertValidationErrorAsync(response, "metadata");
    }

    [Test]
    public async Task RecordClick_WhenMetadataIsLargerThan8KiB_ReturnsValidationError()
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await PostJsonAsync(Admin, RecordClick, new { tracking_id = trackingId, metadata = new { note = new string('m', 8 * 1024) } });

        await AssertValidationErrorAsync(response, "metadata");
    }

    [Test]
    public async Task RecordClick_WhenTrackingIdIsMissing_ReturnsValidationError()
    {
        using var response = await PostJsonAsync(Admin, RecordClick, new { session_id = "s" });

        await AssertValidationErrorAsync(response, "tracking_id");
    }

    [Test]
    public async Task RecordClick_WhenTrackingIdIsMalformed_ReturnsValidationError()
    {
        using var response = await PostJsonAsync(Admin, RecordClick, new { tracking_id = "LT-not-an-id" });

        await AssertValidationErrorAsync(response, "tracking_id");
    }

    [Test]
    public async Task RecordClick_WhenLinkIsUnknown_ReturnsNotFound()
    {
        using var response = await PostJsonAsync(Admin, RecordClick, new { tracking_id = "lt_doesnotexist1" });

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task RecordClick_WhenLinkIsInactive_ReturnsConflictAndStoresNothing()
    {
        var trackingId = await CreateLinkIdAsync();
        await SetActiveAsync(trackingId, active: false);

        using var response = await PostJsonAsync(Admin, RecordClick, new { tracking_id = trackingId });
        var stats = await GetStatisticsAsync(trackingId, "?include_bots=true");

        await AssertProblemAsync(response, HttpStatusCode.Conflict);
        Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.Zero);
    }

    [Test]
    public async Task RecordClick_AfterTheLinkWasDeactivated_ReturnsConflict()
    {
        var trackingId = await CreateLinkIdAsync();
        using var before = await PostJsonAsync(Admin, RecordClick, new { tracking_id = trackingId });

        await SetActiveAsync(trackingId, active: false);
        using var after = await PostJsonAsync(Admin, RecordClick, new { tracking_id = trackingId });

        Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await AssertProblemAsync(after, HttpStatusCode.Conflict);
    }

    [Test]
    public async Task RecordClick_AfterTheLinkWasReactivated_IsAcceptedAgain()
    {
        var trackingId = await CreateLinkIdAsync();
        await SetActiveAsync(trackingId, active: false);
        using var whileInactive = await PostJsonAsync(Admin, RecordClick, new { tracking_id = trackingId });

        await SetActiveAsync(trackingId, active: true);
        using var response = await PostJsonAsync(Admin, RecordClick, new { tracking_id = trackingId });

        Assert.That(whileInactive.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task RecordClick_RetriedWithTheSameEventId_ReturnsTheSameClickIdAndStoresItOnce()
    {
        var trackingId = await CreateLinkIdAsync();
        var body = new { tracking_id = trackingId, event_id = "evt-retry-1", session_id = "s1" };

        using var first = await PostJsonAsync(Admin, RecordClick, body);
        using var retry = await PostJsonAsync(Admin, RecordClick, body);
        var stats = await GetStatisticsAsync(trackingId);

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(
            (await ReadJsonAsync(retry)).GetProperty("click_id").GetGuid(),
            Is.EqualTo((await ReadJsonAsync(first)).GetProperty("click_id").GetGuid()));
        Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task RecordClick_WithDifferentEventIds_StoresEachClick()
    {
        var trackingId = await CreateLinkIdAsync();

        using var first = await PostJsonAsync(Admin, RecordClick, new { tracking_id = trackingId, event_id = "evt-a" });
        using var second = await PostJsonAsync(Admin, RecordClick, new { tracking_id = trackingId, event_id = "evt-b" });
        var stats = await GetStatisticsAsync(trackingId);

        Assert.That(
            (await ReadJsonAsync(second)).GetProperty("click_id").GetGuid(),
            Is.Not.EqualTo((await ReadJsonAsync(first)).GetProperty("click_id").GetGuid()));
        Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.EqualTo(2));
    }

    [Test]
    public async Task RecordClick_WithTheSameEventIdOnTwoLinks_StoresOneClickPerLink()
    {
        var first = await CreateLinkIdAsync();
        var second = await CreateLinkIdAsync();

        using var a = await PostJsonAsync(Admin, RecordClick, new { tracking_id = first, event_id = "evt-shared" });
        using var b = await PostJsonAsync(Admin, RecordClick, new { tracking_id = second, event_id = "evt-shared" });

        Assert.That((await GetStatisticsAsync(first)).GetProperty("total_clicks").GetInt32(), Is.EqualTo(1));
        Assert.That((await GetStatisticsAsync(second)).GetProperty("total_clicks").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task RecordClick_WithoutEventIdTwice_StoresTwoClicks()
    {
        var trackingId = await CreateLinkIdAsync();
        var body = new { tracking_id = trackingId, clicked_at = "2025-07-27T12:00:00Z" };

        using var first = await PostJsonAsync(Admin, RecordClick, body);
        using var second = await PostJsonAsync(Admin, RecordClick, body);
        var stats = await GetStatisticsAsync(trackingId);

        Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.EqualTo(2));
    }

    [Test]
    public async Task RecordClick_WithBotUserAgent_IsCountedAsABot()
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await PostJsonAsync(Admin, RecordClick, new { tracking_id = trackingId, user_agent = "Mozilla/5.0 (compatible; bingbot/2.0)" });
        var stats = await GetStatisticsAsync(trackingId);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.Zero);
        Assert.That(stats.GetProperty("bot_clicks").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task RecordClick_WithClicksWriteKey_IsAccepted()
    {
        var trackingId = await CreateLinkIdAsync();
        using var partner = Factory.ClientWithKey(await Factory.CreateApiKeyAsync("clicks:write"));

        using var response = await PostJsonAsync(partner, RecordClick, new { tracking_id = trackingId });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }
}
