using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>GET report?days=N: link counts over every link, click counts inside the period only.</summary>
public sealed class PerformanceReportTests(TestProvider provider) : ApiFixture(provider)
{
    [Test]
    public async Task Report_WithDays7_ReturnsThePeriod()
    {
        await SeedAsync();

        var period = (await GetJsonAsync($"{Api}/report?days=7")).GetProperty("report_period");

        Assert.Multiple(() =>
        {
            Assert.That(period.GetProperty("start_date").GetString(), Is.EqualTo("2025-07-21T00:00:00Z"));
            Assert.That(period.GetProperty("end_date").GetString(), Is.EqualTo("2025-07-27T15:00:00Z"));
            Assert.That(period.GetProperty("days").GetInt32(), Is.EqualTo(7));
        });
    }

    [Test]
    public async Task Report_WithDays7_ReturnsOverallStatisticsOfThePeriod()
    {
        await SeedAsync();

        var overall = (await GetJsonAsync($"{Api}/report?days=7")).GetProperty("overall_statistics");

        Assert.Multiple(() =>
        {
            Assert.That(overall.GetProperty("total_links").GetInt32(), Is.EqualTo(4));
            Assert.That(overall.GetProperty("active_links").GetInt32(), Is.EqualTo(3));
            Assert.That(overall.GetProperty("jobs_with_links").GetInt32(), Is.EqualTo(2));
            Assert.That(overall.GetProperty("applications_with_links").GetInt32(), Is.EqualTo(1));
            Assert.That(overall.GetProperty("total_clicks").GetInt32(), Is.EqualTo(7));
            Assert.That(overall.GetProperty("unique_sessions").GetInt32(), Is.EqualTo(3));
            Assert.That(overall.GetProperty("links_clicked").GetInt32(), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task Report_WithDays7_OrdersFunctionsByClicksWithAverages()
    {
        await SeedAsync();

        var functions = (await GetJsonAsync($"{Api}/report?days=7")).GetProperty("function_performance").EnumerateArray().ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(functions.Select(f => f.GetProperty("link_function").GetString()), Is.EqualTo(new[] { "Calendly", "LinkedIn", "Portfolio" }));
            Assert.That(functions.Select(f => f.GetProperty("links").GetInt32()), Is.EqualTo(new[] { 1, 2, 1 }));
            Assert.That(functions.Select(f => f.GetProperty("clicks").GetInt32()), Is.EqualTo(new[] { 4, 3, 0 }));
            Assert.That(functions.Select(f => f.GetProperty("unique_sessions").GetInt32()), Is.EqualTo(new[] { 1, 2, 0 }));
            Assert.That(functions.Select(f => f.GetProperty("avg_clicks_per_link").GetDouble()), Is.EqualTo(new[] { 4.0, 1.5, 0.0 }));
        });
    }

    [Test]
    public async Task Report_WithDays30_CountsTheOlderClicksToo()
    {
        await SeedAsync();

        var report = await GetJsonAsync($"{Api}/report?days=30");

        var functions = report.GetProperty("function_performance").EnumerateArray().ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(report.GetProperty("overall_statistics").GetProperty("total_clicks").GetInt32(), Is.EqualTo(9));
            Assert.That(report.GetProperty("overall_statistics").GetProperty("links_clicked").GetInt32(), Is.EqualTo(4));
            Assert.That(functions.Select(f => f.GetProperty("link_function").GetString()), Is.EqualTo(new[] { "Calendly", "LinkedIn", "Portfolio" }));
            Assert.That(functions.Select(f => f.GetProperty("clicks").GetInt32()), Is.EqualTo(new[] { 4, 3, 2 }));
            Assert.That(functions[2].GetProperty("avg_clicks_per_link").GetDouble(), Is.EqualTo(2.0));
        });
    }

    [Test]
    public async Task Report_WithDays7_ReturnsOneDailyTrendPerDayOldestFirst()
    {
        await SeedAsync();

        var trends = (await GetJsonAsync($"{Api}/report?days=7")).GetProperty("daily_trends").EnumerateArray().ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(trends.Select(d => d.GetProperty("date").GetString()), Is.EqualTo(new[] { "2025-07-21", "2025-07-22", "2025-07-23", "2025-07-24", "2025-07-25", "2025-07-26", "2025-07-27" }));
            Assert.That(trends.Select(d => d.GetProperty("clicks").GetInt32()), Is.EqualTo(new[] { 0, 1, 0, 0, 1, 1, 4 }));
            Assert.That(trends.Select(d => d.GetProperty("unique_sessions").GetInt32()), Is.EqualTo(new[] { 0, 1, 0, 0, 1, 1, 3 }));
        });
    }

    [Test]
    public async Task Report_ByDefault_CoversThirtyDays()
    {
        await SeedAsync();

        var report = await GetJsonAsync($"{Api}/report");

        Assert.That(report.GetProperty("report_period").GetProperty("days").GetInt32(), Is.EqualTo(30));
        Assert.That(report.GetProperty("daily_trends").GetArrayLength(), Is.EqualTo(30));
        Assert.That(report.GetProperty("report_period").GetProperty("start_date").GetString(), Is.EqualTo("2025-06-28T00:00:00Z"));
    }

    [Test]
    public async Task Report_WithIncludeBots_AddsTheBotClick()
    {
        await SeedAsync();

        var overall = (await GetJsonAsync($"{Api}/report?days=7&include_bots=true")).GetProperty("overall_statistics");

        Assert.That(overall.GetProperty("total_clicks").GetInt32(), Is.EqualTo(8));
    }

    [Test]
    public async Task Report_WithoutLinks_ReturnsZerosAndEmptyDays()
    {
        var report = await GetJsonAsync($"{Api}/report?days=3");

        Assert.Multiple(() =>
        {
            Assert.That(report.GetProperty("overall_statistics").GetProperty("total_links").GetInt32(), Is.Zero);
            Assert.That(report.GetProperty("function_performance").GetArrayLength(), Is.Zero);
            Assert.That(report.GetProperty("daily_trends").EnumerateArray().Select(d => d.GetProperty("clicks").GetInt32()), Is.EqualTo(new[] { 0, 0, 0 }));
        });
    }

    [TestCase(0)]
    [TestCase(366)]
    public async Task Report_WhenDaysIsOutOfRange_ReturnsValidationError(int days)
    {
        using var response = await Admin.GetAsync($"{Api}/report?days={days}");

        await AssertValidationErrorAsync(response, "days");
    }

    [Test]
    public async Task Report_WithDays365_IsAccepted()
    {
        var report = await GetJsonAsync($"{Api}/report?days=365");

        Assert.That(report.GetProperty("daily_trends").GetArrayLength(), Is.EqualTo(365));
    }

    /// <summary>
    /// LinkedIn ×2 (job J1; one also application A1, the other deactivated), Calendly (job J2), Portfolio (no job).
    /// Inside the last 7 days: LinkedIn 3 human clicks (s1, s1, s2) and a Googlebot click, Calendly 4 (s3).
    /// 10 and 12 days ago: Portfolio 2 (s4, s5).
    /// </summary>
    private async Task SeedAsync()
    {
        var firstJob = Guid.NewGuid();
        var linkedIn = await CreateLinkIdAsync("https://www.linkedin.com/in/a", "LinkedIn", firstJob, Guid.NewGuid());
        var oldLinkedIn = await CreateLinkIdAsync("https://www.linkedin.com/in/b", "LinkedIn", firstJob);
        var calendly = await CreateLinkIdAsync("https://calendly.com/a", "Calendly", Guid.NewGuid());
        var portfolio = await CreateLinkIdAsync("https://portfolio.example.com/", "Portfolio");
        await SeedClicksAsync(
            Click(linkedIn, TimeSpan.FromHours(1), "s1"),
            Click(linkedIn, TimeSpan.FromDays(2), "s1"),
            Click(linkedIn, TimeSpan.FromHours(1), "s9", userAgent: "Googlebot/2.1 (+http://www.google.com/bot.html)"),
            Click(oldLinkedIn, TimeSpan.FromHours(3), "s2"),
            Click(calendly, TimeSpan.FromHours(1), "s3"),
            Click(calendly, TimeSpan.FromHours(2), "s3"),
            Click(calendly, TimeSpan.FromDays(1), "s3"),
            Click(calendly, TimeSpan.FromDays(5), "s3"),
            Click(portfolio, TimeSpan.FromDays(10), "s4"),
            Click(portfolio, TimeSpan.FromDays(12), "s5"));
        await SetActiveAsync(oldLinkedIn, active: false);
    }
}
