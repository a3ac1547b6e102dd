using System.Net;
using System.Text.Json;
using LinkTracking.Application.Clicks.Enrichment;
using LinkTracking.Domain.Clicks;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// The breakdowns (countries, devices, browsers, operating_systems, hours, weekdays) of link analytics, job and
/// application summaries and the report, over HTTP on a known click set, with <c>include_bots</c> and <c>tz</c>.
/// Enrichment is a fixed table here (<see cref="TableEnricher"/>), so the numbers do not depend on data files.
/// The fake now is Sunday 2025-07-27T15:00:00Z (11:00 in New York, UTC−4 in summer).
/// </summary>
public sealed class BreakdownTests(TestProvider provider) : ApiFixture(provider)
{
    private const string IPhone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    private const string WindowsChrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
    private const string Googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

    private static readonly Guid JobId = Guid.Parse("5a5a5a5a-1111-4c4c-8d8d-000000000001");
    private static readonly Guid ApplicationId = Guid.Parse("5a5a5a5a-2222-4c4c-8d8d-000000000002");

    private static readonly string[] Routes =
    [
        "analytics/{0}?days=7",
        $"jobs/{JobId}/summary",
        $"applications/{ApplicationId}/summary",
        "report?days=7",
    ];

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.RemoveAll<IClickEnricher>();
        services.AddSingleton<IClickEnricher, TableEnricher>();
    }

    [TestCaseSource(nameof(Routes))]
    public async Task Breakdowns_OfHumanClicks_CountEachCountryDeviceBrowserOsHourAndWeekday(string route)
    {
        var trackingId = await SeedAsync();

        var body = await GetJsonAsync($"{Api}/{string.Format(System.Globalization.CultureInfo.InvariantCulture, route, trackingId)}");

        Assert.Multiple(() =>
        {
            Assert.That(Counts(body, "countries"), Is.EqualTo(new Dictionary<string, int> { ["DE"] = 1, ["FR"] = 1, ["unknown"] = 1 }));
            Assert.That(Counts(body, "devices"), Is.EqualTo(new Dictionary<string, int> { ["desktop"] = 2, ["mobile"] = 1, ["tablet"] = 0, ["bot"] = 0, ["other"] = 0 }));
            Assert.That(Counts(body, "browsers"), Is.EqualTo(new Dictionary<string, int> { ["Chrome"] = 2, ["Mobile Safari"] = 1 }));
            Assert.That(Counts(body, "operating_systems"), Is.EqualTo(new Dictionary<string, int> { ["Windows"] = 2, ["iOS"] = 1 }));
            Assert.That(Array(body, "hours"), Is.EqualTo(Hours((0, 1), (14, 1), (15, 1))));
            Assert.That(Array(body, "weekdays"), Is.EqualTo(new[] { 0, 0, 0, 0, 1, 0, 2 })); // Friday once, Sunday twice
        });
    }

    [TestCaseSource(nameof(Routes))]
    public async Task Breakdowns_WithIncludeBots_AddTheCrawler(string route)
    {
        var trackingId = await SeedAsync();

        var body = await GetJsonAsync($"{Api}/{string.Format(System.Globalization.CultureInfo.InvariantCulture, route, trackingId)}{Separator(route)}include_bots=true");

        Assert.Multiple(() =>
        {
            Assert.That(Counts(body, "countries")["US"], Is.EqualTo(1));
            Assert.That(Counts(body, "devices")["bot"], Is.EqualTo(1));
            Assert.That(Counts(body, "browsers")["Googlebot"], Is.EqualTo(1));
            Assert.That(Array(body, "hours")[14], Is.EqualTo(2));
            Assert.That(Array(body, "weekdays")[6], Is.EqualTo(3));
        });
    }

    [TestCaseSource(nameof(Routes))]
    public async Task Breakdowns_InNewYork_MoveTheClickAfterUtcMidnightBackToSaturdayEvening(string route)
    {
        var trackingId = await SeedAsync();

        var body = await GetJsonAsync($"{Api}/{string.Format(System.Globalization.CultureInfo.InvariantCulture, route, trackingId)}{Separator(route)}tz=America/New_York");

        Assert.Multiple(() =>
        {
            // 00:30Z Sunday is 20:30 Saturday in New York; 14:00Z is 10:00, 15:00Z Friday is 11:00 Friday.
            Assert.That(Array(body, "hours"), Is.EqualTo(Hours((10, 1), (11, 1), (20, 1))));
            Assert.That(Array(body, "weekdays"), Is.EqualTo(new[] { 0, 0, 0, 0, 1, 1, 1 }));
            Assert.That(Counts(body, "countries"), Is.EqualTo(new Dictionary<string, int> { ["DE"] = 1, ["FR"] = 1, ["unknown"] = 1 }));
        });
    }

    [TestCaseSource(nameof(Routes))]
    public async Task HourWeekday_InNewYork_MovesTheSundayAfterMidnightClickToSaturdayEvening(string route)
    {
        var trackingId = await SeedAsync();
        var path = $"{Api}/{string.Format(System.Globalization.CultureInfo.InvariantCulture, route, trackingId)}";

        var utc = Heatmap(await GetJsonAsync(path));
        var newYork = Heatmap(await GetJsonAsync($"{path}{Separator(route)}tz=America/New_York"));

        Assert.Multiple(() =>
        {
            // Rows Monday first: 4 = Friday, 5 = Saturday, 6 = Sunday. The crawler (14:30Z Sunday) is not counted.
            Assert.That(utc, Is.EqualTo(Week((4, 15), (6, 0), (6, 14))));
            Assert.That(newYork, Is.EqualTo(Week((4, 11), (5, 20), (6, 10))));
        });
    }

    [Test]
    public async Task LinkTimeline_InNewYork_PutsTheClickOnTheLocalDay_AndTheLocalTodayStartsAtLocalMidnight()
    {
        var trackingId = await SeedAsync();

        var utc = await GetJsonAsync($"{Api}/analytics/{trackingId}?days=3");
        var newYork = await GetJsonAsync($"{Api}/analytics/{trackingId}?days=3&tz=America/New_York");
        var todayInNewYork = await GetJsonAsync($"{Api}/analytics/{trackingId}?days=1&tz=America/New_York");
        var todayInUtc = await GetJsonAsync($"{Api}/analytics/{trackingId}?days=1");

        Assert.Multiple(() =>
        {
            Assert.That(Timeline(utc), Is.EqualTo(new[] { ("2025-07-25", 1, 1), ("2025-07-26", 0, 0), ("2025-07-27", 2, 2) }));
            Assert.That(Timeline(newYork), Is.EqualTo(new[] { ("2025-07-25", 1, 1), ("2025-07-26", 1, 1), ("2025-07-27", 1, 1) }));
            Assert.That(todayInUtc.GetProperty("click_statistics").GetProperty("total_clicks").GetInt32(), Is.EqualTo(2));
            Assert.That(todayInNewYork.GetProperty("click_statistics").GetProperty("total_clicks").GetInt32(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ReportTrends_InNewYork_PutTheClickOnTheLocalDay()
    {
        await SeedAsync();

        var report = await GetJsonAsync($"{Api}/report?days=3&tz=America/New_York");

        Assert.That(Timeline(report, "daily_trends"), Is.EqualTo(new[] { ("2025-07-25", 1, 1), ("2025-07-26", 1, 1), ("2025-07-27", 1, 1) }));
    }

    [TestCase("analytics/lt_abcdefgh1234?tz=Mars/Olympus")]
    [TestCase("jobs/5a5a5a5a-1111-4c4c-8d8d-000000000001/summary?tz=Europe/Nowhere")]
    [TestCase("applications/5a5a5a5a-2222-4c4c-8d8d-000000000002/summary?tz=..%2F..%2Fetc%2Fpasswd")]
    [TestCase("report?tz=Not%20A%20Zone")]
    public async Task UnknownTimeZone_IsAValidationErrorNamingTz(string route)
    {
        using var response = await Admin.GetAsync($"{Api}/{route}");

        await AssertValidationErrorAsync(response, "tz");
    }

    [Test]
    public async Task ASessionClickingEitherSideOfUtcMidnight_IsOneSessionOfTheNewYorkDay_AndOneOfEachUtcDay()
    {
        // Sat 26 July 23:30Z and Sun 27 July 03:30Z: two UTC days, one New York day (19:30 and 23:30 on Saturday).
        var trackingId = await CreateLinkIdAsync("https://www.linkedin.com/in/n", "LinkedIn", JobId, ApplicationId);
        await SeedClicksAsync(
            Click(trackingId, TimeSpan.FromMinutes(15 * 60 + 30), "n", "203.0.113.10", userAgent: IPhone),
            Click(trackingId, TimeSpan.FromMinutes(11 * 60 + 30), "n", "203.0.113.10", userAgent: IPhone));

        var utc = await GetJsonAsync($"{Api}/analytics/{trackingId}?days=2");
        var newYork = await GetJsonAsync($"{Api}/analytics/{trackingId}?days=2&tz=America/New_York");
        var reportUtc = await GetJsonAsync($"{Api}/report?days=2");
        var reportNewYork = await GetJsonAsync($"{Api}/report?days=2&tz=America/New_York");
        var job = await GetJsonAsync($"{Api}/jobs/{JobId}/summary");

        Assert.Multiple(() =>
        {
            Assert.That(Timeline(utc), Is.EqualTo(new[] { ("2025-07-26", 1, 1), ("2025-07-27", 1, 1) }));
            Assert.That(Timeline(newYork), Is.EqualTo(new[] { ("2025-07-26", 2, 1), ("2025-07-27", 0, 0) }));
            Assert.That(Timeline(reportUtc, "daily_trends"), Is.EqualTo(new[] { ("2025-07-26", 1, 1), ("2025-07-27", 1, 1) }));
            Assert.That(Timeline(reportNewYork, "daily_trends"), Is.EqualTo(new[] { ("2025-07-26", 2, 1), ("2025-07-27", 0, 0) }));
            Assert.That(utc.GetProperty("click_statistics").GetProperty("unique_sessions").GetInt32(), Is.EqualTo(1));
            Assert.That(job.GetProperty("unique_sessions").GetInt32(), Is.EqualTo(1));
            Assert.That(job.GetProperty("link_functions").GetProperty("LinkedIn").GetProperty("unique_sessions").GetInt32(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task OnTheDayNewYorkSkipsAnHour_EachLocalDayCountsItsOwnSessions()
    {
        // 9 March 2025 in New York has 23 hours: 05:00Z (00:00 EST) to 04:00Z on the 10th (00:00 EDT). Session s clicks
        // at 00:30 EST, at 23:30 EDT (the day's last hour, 22 hours after its first) and at 00:30 EDT on the 10th.
        var now = new DateTime(2025, 7, 27, 15, 0, 0, DateTimeKind.Utc);
        var trackingId = await CreateLinkIdAsync("https://www.linkedin.com/in/s", "LinkedIn", JobId, ApplicationId);
        await SeedClicksAsync(
            Click(trackingId, now - new DateTime(2025, 3, 9, 5, 30, 0, DateTimeKind.Utc), "s", "203.0.113.10", userAgent: IPhone),
            Click(trackingId, now - new DateTime(2025, 3, 10, 3, 30, 0, DateTimeKind.Utc), "s", "203.0.113.10", userAgent: IPhone),
            Click(trackingId, now - new DateTime(2025, 3, 10, 4, 30, 0, DateTimeKind.Utc), "s", "203.0.113.10", userAgent: IPhone));

        var newYork = await GetJsonAsync($"{Api}/analytics/{trackingId}?days=200&tz=America/New_York");
        var utc = await GetJsonAsync($"{Api}/analytics/{trackingId}?days=200");
        var reportNewYork = await GetJsonAsync($"{Api}/report?days=200&tz=America/New_York");

        Assert.Multiple(() =>
        {
            Assert.That(Timeline(newYork).Where(d => d.Clicks > 0), Is.EqualTo(new[] { ("2025-03-09", 2, 1), ("2025-03-10", 1, 1) }));
            Assert.That(Timeline(reportNewYork, "daily_trends").Where(d => d.Clicks > 0), Is.EqualTo(new[] { ("2025-03-09", 2, 1), ("2025-03-10", 1, 1) }));
            Assert.That(Timeline(utc).Where(d => d.Clicks > 0), Is.EqualTo(new[] { ("2025-03-09", 1, 1), ("2025-03-10", 2, 1) }));
        });
    }

    /// <summary>
    /// One link of job J / application A: iPhone from Germany 1 h ago (Sun 14:00Z, session a), Chrome on Windows from
    /// France on Fri 25 July 15:00Z (b), Chrome on Windows without an address at Sun 00:30Z (c), Googlebot from the US
    /// 30 min ago (Sun 14:30Z).
    /// </summary>
    private async Task<string> SeedAsync()
    {
        var trackingId = await CreateLinkIdAsync("https://www.linkedin.com/in/a", "LinkedIn", JobId, ApplicationId);
        await SeedClicksAsync(
            Click(trackingId, TimeSpan.FromHours(1), "a", "203.0.113.10", userAgent: IPhone),
            Click(trackingId, TimeSpan.FromDays(2), "b", "198.51.100.20", userAgent: WindowsChrome),
            Click(trackingId, TimeSpan.FromMinutes(14 * 60 + 30), "c", userAgent: WindowsChrome),
            Click(trackingId, TimeSpan.FromMinutes(30), "g", "192.0.2.1", userAgent: Googlebot));
        return trackingId;
    }

    private static string Separator(string route) => route.Contains('?', StringComparison.Ordinal) ? "&" : "?";

    private static Dictionary<string, int> Counts(JsonElement body, string name) =>
        body.GetProperty(name).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());

    private static int[] Array(JsonElement body, string name) =>
        body.GetProperty(name).EnumerateArray().Select(e => e.GetInt32()).ToArray();

    private static int[][] Heatmap(JsonElement body) =>
        body.GetProperty("hour_weekday").EnumerateArray().Select(row => row.EnumerateArray().Select(e => e.GetInt32()).ToArray()).ToArray();

    private static int[][] Week(params (int Weekday, int Hour)[] clicks)
    {
        var week = Enumerable.Range(0, 7).Select(_ => new int[24]).ToArray();
        foreach (var (weekday, hour) in clicks)
        {
            week[weekday][hour]++;
        }

        return week;
    }

    private static int[] Hours(params (int Hour, int Clicks)[] hours)
    {
        var result = new int[24];
        foreach (var (hour, clicks) in hours)
        {
            result[hour] += clicks;
        }

        return result;
    }

    private static (string Date, int Clicks, int Sessions)[] Timeline(JsonElement body, string name = "click_timeline") =>
        body.GetProperty(name).EnumerateArray()
            .Select(d => (d.GetProperty("date").GetString()!, d.GetProperty("clicks").GetInt32(), d.GetProperty("unique_sessions").GetInt32()))
            .ToArray();

    /// <summary>Country by address and device, browser and OS by agent from fixed tables, as the real enricher would say.</summary>
    private sealed class TableEnricher : IClickEnricher
    {
        private static readonly Dictionary<string, string> CountryByAddress = new()
        {
            ["203.0.113.10"] = "DE",
            ["198.51.100.20"] = "FR",
            ["192.0.2.1"] = "US",
        };

        private static readonly Dictionary<string, (DeviceType Device, string Browser, string Os)> Agents = new()
        {
            [IPhone] = (DeviceType.Mobile, "Mobile Safari", "iOS"),
            [WindowsChrome] = (DeviceType.Desktop, "Chrome", "Windows"),
            [Googlebot] = (DeviceType.Bot, "Googlebot", "Other"),
        };

        public ClickEnrichment Enrich(IPAddress? ipAddress, string? userAgent)
        {
            var country = ipAddress is null ? null : CountryByAddress.GetValueOrDefault(ipAddress.ToString());
            return userAgent is not null && Agents.TryGetValue(userAgent, out var agent)
                ? new ClickEnrichment(country, agent.Device, agent.Browser, agent.Os)
                : new ClickEnrichment(country, null, null, null);
        }
    }
}
