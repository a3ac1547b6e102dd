using System.Net;
using System.Text.Json;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// GET analytics/{tracking_id} on a known data set. The fake now is 2025-07-27T15:00:00Z, so the default 30-day
/// period starts 2025-06-28T00:00:00Z and the 7-day one 2025-07-21T00:00:00Z.
/// </summary>
public sealed class LinkAnalyticsTests(TestProvider provider) : ApiFixture(provider)
{
    private const string Googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

    [Test]
    public async Task Analytics_OnKnownDataSet_ReturnsTheHumanClickStatistics()
    {
        var trackingId = await SeedKnownDataSetAsync();

        var stats = await GetStatisticsAsync(trackingId);

        Assert.Multiple(() =>
        {
            Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.EqualTo(5));
            Assert.That(stats.GetProperty("unique_sessions").GetInt32(), Is.EqualTo(3));
            Assert.That(stats.GetProperty("unique_ips").GetInt32(), Is.EqualTo(3));
            Assert.That(stats.GetProperty("bot_clicks").GetInt32(), Is.EqualTo(1));
            Assert.That(stats.GetProperty("clicks_24h").GetInt32(), Is.EqualTo(2));
            Assert.That(stats.GetProperty("clicks_7d").GetInt32(), Is.EqualTo(4));
            Assert.That(stats.GetProperty("first_click").GetString(), Is.EqualTo("2025-07-17T15:00:00Z"));
            Assert.That(stats.GetProperty("last_click").GetString(), Is.EqualTo("2025-07-27T14:00:00Z"));
            Assert.That(BySource(stats), Is.EquivalentTo(new Dictionary<string, int> { ["direct"] = 2, ["linkedin"] = 1, ["email"] = 1, ["external"] = 1 }));
        });
    }

    [Test]
    public async Task Analytics_WithIncludeBots_AddsTheBotClicks()
    {
        var trackingId = await SeedKnownDataSetAsync();

        var stats = await GetStatisticsAsync(trackingId, "?include_bots=true");

        Assert.Multiple(() =>
        {
            Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.EqualTo(6));
            Assert.That(stats.GetProperty("unique_sessions").GetInt32(), Is.EqualTo(4));
            Assert.That(stats.GetProperty("unique_ips").GetInt32(), Is.EqualTo(4));
            Assert.That(stats.GetProperty("bot_clicks").GetInt32(), Is.EqualTo(1));
            Assert.That(stats.GetProperty("clicks_24h").GetInt32(), Is.EqualTo(3));
            Assert.That(stats.GetProperty("clicks_7d").GetInt32(), Is.EqualTo(5));
            Assert.That(BySource(stats)["direct"], Is.EqualTo(3));
        });
    }

    [Test]
    public async Task Analytics_WithDays7_CountsOnlyClicksOfTheLastSevenDays()
    {
        var trackingId = await SeedKnownDataSetAsync();

        var stats = await GetStatisticsAsync(trackingId, "?days=7");

        Assert.Multiple(() =>
        {
            Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.EqualTo(4));
            Assert.That(stats.GetProperty("unique_sessions").GetInt32(), Is.EqualTo(3));
            Assert.That(stats.GetProperty("unique_ips").GetInt32(), Is.EqualTo(2));
            Assert.That(stats.GetProperty("first_click").GetString(), Is.EqualTo("2025-07-24T15:00:00Z"));
        });
    }

    [Test]
    public async Task Analytics_WithDays60_IncludesClicksOlderThanThirtyDays()
    {
        var trackingId = await SeedKnownDataSetAsync();

        var stats = await GetStatisticsAsync(trackingId, "?days=60");

        Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.EqualTo(6));
        Assert.That(stats.GetProperty("first_click").GetString(), Is.EqualTo("2025-06-17T15:00:00Z"));
    }

    [Test]
    public async Task Analytics_WithDays7_ReturnsOneTimelineEntryPerDayOldestFirst()
    {
        var trackingId = await SeedKnownDataSetAsync();

        var timeline = (await GetJsonAsync($"{Api}/analytics/{trackingId}?days=7")).GetProperty("click_timeline");

        Assert.Multiple(() =>
        {
            Assert.That(Dates(timeline), Is.EqualTo(new[] { "2025-07-21", "2025-07-22", "2025-07-23", "2025-07-24", "2025-07-25", "2025-07-26", "2025-07-27" }));
            Assert.That(Ints(timeline, "clicks"), Is.EqualTo(new[] { 0, 0, 0, 1, 0, 1, 2 }));
            Assert.That(Ints(timeline, "unique_sessions"), Is.EqualTo(new[] { 0, 0, 0, 1, 0, 1, 1 }));
        });
    }

    [Test]
    public async Task Analytics_ByDefault_ReturnsThirtyDayTimelineEndingToday()
    {
        var trackingId = await SeedKnownDataSetAsync();

        var timeline = (await GetJsonAsync($"{Api}/analytics/{trackingId}")).GetProperty("click_timeline");

        var dates = Dates(timeline);
        Assert.Multiple(() =>
        {
            Assert.That(dates, Has.Length.EqualTo(30));
            Assert.That(dates[0], Is.EqualTo("2025-06-28"));
            Assert.That(dates[^1], Is.EqualTo("2025-07-27"));
            Assert.That(Ints(timeline, "clicks").Sum(), Is.EqualTo(5));
        });
    }

    [Test]
    public async Task Analytics_WithDays1_CoversTodayOnly()
    {
        var trackingId = await SeedKnownDataSetAsync();

        var analytics = await GetJsonAsync($"{Api}/analytics/{trackingId}?days=1");

        var stats = analytics.GetProperty("click_statistics");
        var timeline = analytics.GetProperty("click_timeline");
        Assert.Multiple(() =>
        {
            Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.EqualTo(2));
            Assert.That(stats.GetProperty("unique_sessions").GetInt32(), Is.EqualTo(1));
            Assert.That(Dates(timeline), Is.EqualTo(new[] { "2025-07-27" }));
            Assert.That(Ints(timeline, "clicks"), Is.EqualTo(new[] { 2 }));
        });
    }

    [Test]
    public async Task Analytics_RecentClicks_AreNewestFirstWithMaskedIps()
    {
        var trackingId = await SeedKnownDataSetAsync();

        var recent = (await GetJsonAsync($"{Api}/analytics/{trackingId}")).GetProperty("recent_clicks").EnumerateArray().Take(5).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(recent.Select(r => r.GetProperty("clicked_at").GetString()), Is.EqualTo(new[]
            {
                "2025-07-27T14:00:00Z", "2025-07-27T13:00:00Z", "2025-07-26T09:00:00Z", "2025-07-24T15:00:00Z", "2025-07-17T15:00:00Z",
            }));
            Assert.That(recent.Select(r => r.GetProperty("ip_partial").GetString()), Is.EqualTo(new[]
            {
                "203.0.113.*", "203.0.113.*", "198.51.100.*", "203.0.113.*", "2001:db8:0:*",
            }));
            Assert.That(recent.Select(r => r.GetProperty("click_source").GetString()), Is.EqualTo(new[]
            {
                "linkedin", "direct", "email", "direct", "external",
            }));
        });
    }

    [Test]
    public async Task Analytics_WithMoreThanTenClicks_ReturnsTheTenNewest()
    {
        var trackingId = await CreateLinkIdAsync();
        await SeedClicksAsync(Enumerable.Range(1, 12).Select(h => Click(trackingId, TimeSpan.FromHours(h), ipAddress: $"192.0.2.{h}")).ToArray());

        var recent = (await GetJsonAsync($"{Api}/analytics/{trackingId}")).GetProperty("recent_clicks");

        var times = recent.EnumerateArray().Select(r => r.GetProperty("clicked_at").GetString()).ToArray();
        Assert.That(times, Is.EqualTo(Enumerable.Range(1, 10).Select(h => Iso(TimeSpan.FromHours(h))).ToArray()));
    }

    [Test]
    public async Task Analytics_ReturnsTheLinkInfo()
    {
        var trackingId = await CreateLinkIdAsync("https://example.com/portfolio", "Portfolio");

        var info = (await GetJsonAsync($"{Api}/analytics/{trackingId}")).GetProperty("link_info");

        Assert.That(info.GetProperty("tracking_id").GetString(), Is.EqualTo(trackingId));
        Assert.That(info.GetProperty("original_url").GetString(), Is.EqualTo("https://example.com/portfolio"));
        Assert.That(info.GetProperty("link_function").GetString(), Is.EqualTo("Portfolio"));
        Assert.That(info.GetProperty("is_active").GetBoolean(), Is.True);
    }

    [Test]
    public async Task Analytics_WhenLinkIsInactive_StillReturnsItsStatistics()
    {
        var trackingId = await SeedKnownDataSetAsync();
        await SetActiveAsync(trackingId, active: false);

        var analytics = await GetJsonAsync($"{Api}/analytics/{trackingId}");

        Assert.That(analytics.GetProperty("link_info").GetProperty("is_active").GetBoolean(), Is.False);
        Assert.That(analytics.GetProperty("click_statistics").GetProperty("total_clicks").GetInt32(), Is.EqualTo(5));
    }

    [Test]
    public async Task Analytics_WhenLinkHasNoClicks_ReturnsZerosAndAnEmptyTimeline()
    {
        var trackingId = await CreateLinkIdAsync();

        var analytics = await GetJsonAsync($"{Api}/analytics/{trackingId}");

        var stats = analytics.GetProperty("click_statistics");
        Assert.Multiple(() =>
        {
            Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.Zero);
            Assert.That(stats.GetProperty("unique_sessions").GetInt32(), Is.Zero);
            Assert.That(stats.GetProperty("first_click").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(stats.GetProperty("last_click").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(Names(stats.GetProperty("clicks_by_source")), Is.Empty);
            Assert.That(Ints(analytics.GetProperty("click_timeline"), "clicks"), Has.Length.EqualTo(30).And.All.Zero);
            Assert.That(analytics.GetProperty("recent_clicks").GetArrayLength(), Is.Zero);
        });
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(366)]
    public async Task Analytics_WhenDaysIsOutOfRange_ReturnsValidationError(int days)
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await Admin.GetAsync($"{Api}/analytics/{trackingId}?days={days}");

        await AssertValidationErrorAsync(response, "days");
    }

    [TestCase(1)]
    [TestCase(365)]
    public async Task Analytics_WhenDaysIsAtABound_ReturnsThatManyTimelineEntries(int days)
    {
        var trackingId = await CreateLinkIdAsync();

        var analytics = await GetJsonAsync($"{Api}/analytics/{trackingId}?days={days}");

        var dates = Dates(analytics.GetProperty("click_timeline"));
        Assert.That(dates, Has.Length.EqualTo(days));
        Assert.That(dates[^1], Is.EqualTo("2025-07-27"));
    }

    [Test]
    public async Task Analytics_WhenDaysIsNotANumber_ReturnsValidationError()
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await Admin.GetAsync($"{Api}/analytics/{trackingId}?days=thirty");

        await AssertValidationErrorAsync(response, "days");
    }

    [Test]
    public async Task Analytics_WhenLinkIsUnknown_ReturnsNotFound()
    {
        using var response = await Admin.GetAsync($"{Api}/analytics/lt_doesnotexist1");

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Analytics_WhenTrackingIdIsMalformed_ReturnsValidationError()
    {
        using var response = await Admin.GetAsync($"{Api}/analytics/bogus");

        await AssertValidationErrorAsync(response, "tracking_id");
    }

    /// <summary>
    /// Five human clicks in the last 30 days (sessions s1, s1, s2, s3, s2), one 40 days ago, one Googlebot click
    /// 90 minutes ago, and a click on another link that must not leak into this one.
    /// </summary>
    private async Task<string> SeedKnownDataSetAsync()
    {
        var trackingId = await CreateLinkIdAsync();
        var other = await CreateLinkIdAsync();
        await SeedClicksAsync(
            Click(trackingId, TimeSpan.FromHours(1), "s1", "203.0.113.10", "https://www.linkedin.com/feed/"),
            Click(trackingId, TimeSpan.FromHours(2), "s1", "203.0.113.10"),
            Click(trackingId, TimeSpan.FromHours(30), "s2", "198.51.100.7", "https://mail.google.com/mail/u/0/"),
            Click(trackingId, TimeSpan.FromDays(3), "s3", "203.0.113.10"),
            Click(trackingId, TimeSpan.FromDays(10), "s2", "2001:db8::1", "https://news.example.org/post/1"),
            Click(trackingId, TimeSpan.FromDays(40), "s4", "192.0.2.44"),
            Click(trackingId, TimeSpan.FromMinutes(90), "s9", "192.0.2.99", userAgent: Googlebot),
            Click(other, TimeSpan.FromHours(1), "s1", "203.0.113.10"));
        return trackingId;
    }

    private static Dictionary<string, int> BySource(JsonElement stats) =>
        stats.GetProperty("clicks_by_source").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());

    private static string[] Dates(JsonElement timeline) =>
        timeline.EnumerateArray().Select(d => d.GetProperty("date").GetString()!).ToArray();

    private static int[] Ints(JsonElement timeline, string property) =>
        timeline.EnumerateArray().Select(d => d.GetProperty(property).GetInt32()).ToArray();
}
