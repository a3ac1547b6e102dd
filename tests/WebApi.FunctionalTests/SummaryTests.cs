using System.Text.Json;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>GET jobs/{job_id}/summary and applications/{application_id}/summary: all-time figures per link function.</summary>
public sealed class SummaryTests(TestProvider provider) : ApiFixture(provider)
{
    private static readonly Guid JobId = Guid.Parse("0b6a9f4e-2d7c-4c1e-9a55-6f0d3c2b1a01");
    private static readonly Guid OtherJobId = Guid.Parse("0b6a9f4e-2d7c-4c1e-9a55-6f0d3c2b1a02");
    private static readonly Guid FirstApplicationId = Guid.Parse("7e1d2c3b-4a5f-4e6d-8c7b-9a0f1e2d3c01");
    private static readonly Guid SecondApplicationId = Guid.Parse("7e1d2c3b-4a5f-4e6d-8c7b-9a0f1e2d3c02");
    private static readonly Guid OtherApplicationId = Guid.Parse("7e1d2c3b-4a5f-4e6d-8c7b-9a0f1e2d3c03");

    [Test]
    public async Task JobSummary_OnKnownDataSet_ReturnsTotalsAndPerFunctionFigures()
    {
        await SeedAsync();

        var summary = await GetJsonAsync($"{Api}/jobs/{JobId}/summary");

        var functions = summary.GetProperty("link_functions");
        Assert.Multiple(() =>
        {
            Assert.That(summary.GetProperty("job_id").GetGuid(), Is.EqualTo(JobId));
            Assert.That(summary.GetProperty("total_links").GetInt32(), Is.EqualTo(3));
            Assert.That(summary.GetProperty("total_clicks").GetInt32(), Is.EqualTo(4));
            Assert.That(summary.GetProperty("unique_sessions").GetInt32(), Is.EqualTo(3));
            Assert.That(Names(functions), Is.EquivalentTo(new[] { "LinkedIn", "Apply_Now" }));
            AssertFunction(functions.GetProperty("LinkedIn"), links: 2, clicks: 4, sessions: 3, lastClick: "2025-07-27T14:00:00Z");
            AssertFunction(functions.GetProperty("Apply_Now"), links: 1, clicks: 0, sessions: 0, lastClick: null);
        });
    }

    [Test]
    public async Task JobSummary_WithIncludeBots_AddsTheBotClick()
    {
        await SeedAsync();

        var summary = await GetJsonAsync($"{Api}/jobs/{JobId}/summary?include_bots=true");

        Assert.Multiple(() =>
        {
            Assert.That(summary.GetProperty("total_clicks").GetInt32(), Is.EqualTo(5));
            Assert.That(summary.GetProperty("unique_sessions").GetInt32(), Is.EqualTo(4));
            AssertFunction(summary.GetProperty("link_functions").GetProperty("LinkedIn"), links: 2, clicks: 5, sessions: 4, lastClick: "2025-07-27T14:30:00Z");
        });
    }

    [Test]
    public async Task ApplicationSummary_OnKnownDataSet_CoversOnlyThatApplicationsLinks()
    {
        await SeedAsync();

        var summary = await GetJsonAsync($"{Api}/applications/{FirstApplicationId}/summary");

        var functions = summary.GetProperty("link_functions");
        Assert.Multiple(() =>
        {
            Assert.That(summary.GetProperty("application_id").GetGuid(), Is.EqualTo(FirstApplicationId));
            Assert.That(summary.GetProperty("total_links").GetInt32(), Is.EqualTo(2));
            Assert.That(summary.GetProperty("total_clicks").GetInt32(), Is.EqualTo(3));
            Assert.That(summary.GetProperty("unique_sessions").GetInt32(), Is.EqualTo(2));
            AssertFunction(functions.GetProperty("LinkedIn"), links: 1, clicks: 3, sessions: 2, lastClick: "2025-07-27T14:00:00Z");
            AssertFunction(functions.GetProperty("Apply_Now"), links: 1, clicks: 0, sessions: 0, lastClick: null);
        });
    }

    [Test]
    public async Task ApplicationSummary_ForAnotherApplication_CountsItsOwnClicks()
    {
        await SeedAsync();

        var summary = await GetJsonAsync($"{Api}/applications/{SecondApplicationId}/summary");

        Assert.That(summary.GetProperty("total_links").GetInt32(), Is.EqualTo(1));
        Assert.That(summary.GetProperty("total_clicks").GetInt32(), Is.EqualTo(1));
        AssertFunction(summary.GetProperty("link_functions").GetProperty("LinkedIn"), links: 1, clicks: 1, sessions: 1, lastClick: "2025-07-27T13:00:00Z");
    }

    [Test]
    public async Task JobSummary_WhenJobHasNoLinks_ReturnsZeros()
    {
        await SeedAsync();
        var unknownJob = Guid.NewGuid();

        var summary = await GetJsonAsync($"{Api}/jobs/{unknownJob}/summary");

        Assert.Multiple(() =>
        {
            Assert.That(summary.GetProperty("job_id").GetGuid(), Is.EqualTo(unknownJob));
            Assert.That(summary.GetProperty("total_links").GetInt32(), Is.Zero);
            Assert.That(summary.GetProperty("total_clicks").GetInt32(), Is.Zero);
            Assert.That(Names(summary.GetProperty("link_functions")), Is.Empty);
        });
    }

    [TestCase("jobs/job-42/summary", "job_id")]
    [TestCase("applications/12345/summary", "application_id")]
    public async Task Summary_WhenIdIsNotAUuid_ReturnsValidationError(string path, string field)
    {
        using var response = await Admin.GetAsync($"{Api}/{path}");

        await AssertValidationErrorAsync(response, field);
    }

    /// <summary>
    /// Job J: LinkedIn (application A1) with human clicks s1 1 h ago, s1 3 days ago, s5 400 days ago and a Googlebot
    /// click 30 min ago; LinkedIn (A2) with s2 2 h ago; Apply_Now (A1) without clicks. Another job's link has a click too.
    /// </summary>
    private async Task SeedAsync()
    {
        var linkedInFirst = await CreateLinkIdAsync("https://www.linkedin.com/in/a", "LinkedIn", JobId, FirstApplicationId);
        var linkedInSecond = await CreateLinkIdAsync("https://www.linkedin.com/in/a", "LinkedIn", JobId, SecondApplicationId);
        await CreateLinkIdAsync("https://jobs.example.com/apply/1", "Apply_Now", JobId, FirstApplicationId);
        var otherJob = await CreateLinkIdAsync("https://www.linkedin.com/in/a", "LinkedIn", OtherJobId, OtherApplicationId);
        await SeedClicksAsync(
            Click(linkedInFirst, TimeSpan.FromHours(1), "s1"),
            Click(linkedInFirst, TimeSpan.FromDays(3), "s1"),
            Click(linkedInFirst, TimeSpan.FromDays(400), "s5"),
            Click(linkedInFirst, TimeSpan.FromMinutes(30), "s9", userAgent: "Googlebot/2.1 (+http://www.google.com/bot.html)"),
            Click(linkedInSecond, TimeSpan.FromHours(2), "s2"),
            Click(otherJob, TimeSpan.FromHours(1), "s7"));
    }

    private static void AssertFunction(JsonElement function, int links, int clicks, int sessions, string? lastClick)
    {
        Assert.That(function.GetProperty("links").GetInt32(), Is.EqualTo(links), function.ToString());
        Assert.That(function.GetProperty("clicks").GetInt32(), Is.EqualTo(clicks), function.ToString());
        Assert.That(function.GetProperty("unique_sessions").GetInt32(), Is.EqualTo(sessions), function.ToString());
        Assert.That(function.GetProperty("last_click").ValueKind == JsonValueKind.Null ? null : function.GetProperty("last_click").GetString(), Is.EqualTo(lastClick), function.ToString());
    }
}
