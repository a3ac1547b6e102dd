using System.Text.Json;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary><c>funnel</c> and <c>engagement_vs_outcome</c> of a job summary and the report, against a hand-computed fixture.</summary>
public sealed class FunnelTests(TestProvider provider) : ApiFixture(provider)
{
    private const string Person = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
    private const string Scanner = "Googlebot/2.1 (+http://www.google.com/bot.html)";

    /// <summary>
    /// Four applications of one job: A1 (portfolio opened by a person; replied, interview, rejected), A2 (apply link
    /// opened by a person; replied), A3 (fetched by a scanner only; hired), A4 (nothing); A5 in another job (hired,
    /// opened) must not count. Sent 4, fetched 3, opened 2, replied 3 (A1–A3), interview 2 (A1, A3), offer 1 (A3).
    /// </summary>
    [Test]
    public async Task JobSummary_OfAHandCountedJob_HasTheFunnelAndTheRatesWithWilsonIntervals()
    {
        var jobId = Guid.NewGuid();
        var (a1, a2, a3, a4) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var a1Portfolio = await CreateLinkIdAsync(jobId: jobId, applicationId: a1, linkFunction: "Portfolio");
        await CreateLinkIdAsync(jobId: jobId, applicationId: a1, linkFunction: "Apply_Now");
        await CreateLinkIdAsync(jobId: jobId, applicationId: a2, linkFunction: "Portfolio");
        var a2Apply = await CreateLinkIdAsync(jobId: jobId, applicationId: a2, linkFunction: "Apply_Now");
        var a3Portfolio = await CreateLinkIdAsync(jobId: jobId, applicationId: a3, linkFunction: "Portfolio");
        await CreateLinkIdAsync(jobId: jobId, applicationId: a4, linkFunction: "Portfolio");
        var otherJob = Guid.NewGuid();
        var a5Portfolio = await CreateLinkIdAsync(jobId: Guid.NewGuid(), applicationId: otherJob, linkFunction: "Portfolio");
        await SeedClicksAsync(
            Click(a1Portfolio, TimeSpan.FromHours(5), "p1", userAgent: Person),
            Click(a1Portfolio, TimeSpan.FromHours(6), "s1", userAgent: Scanner),
            Click(a2Apply, TimeSpan.FromHours(4), "p2", userAgent: Person),
            Click(a3Portfolio, TimeSpan.FromHours(3), "s3", userAgent: Scanner),
            Click(a5Portfolio, TimeSpan.FromHours(3), "p5", userAgent: Person));
        await RecordAsync(a1, "replied", "interview", "rejected");
        await RecordAsync(a2, "replied");
        await RecordAsync(a3, "hired");
        await RecordAsync(otherJob, "hired");

        var summary = await GetJsonAsync($"{Api}/jobs/{jobId}/summary");

        var funnel = summary.GetProperty("funnel").EnumerateArray()
            .Select(s => $"{s.GetProperty("step").GetString()} {s.GetProperty("applications").GetInt32()} {s.GetProperty("rate").GetDouble()}");
        var groups = summary.GetProperty("engagement_vs_outcome").EnumerateArray().ToDictionary(g => g.GetProperty("group").GetString()!);
        Assert.Multiple(() =>
        {
            Assert.That(funnel, Is.EqualTo(new[]
            {
                "sent 4 1", "fetched 3 0.75", "opened_by_person 2 0.5", "replied 3 0.75", "interview 2 0.5", "offer 1 0.25",
            }), summary.ToString());
            Assert.That(groups.Keys, Is.EqualTo(new[] { "human_click", "no_human_click", "opened:Apply_Now", "opened:Portfolio" }));
            // human_click: A1, A2 (interview 1 of 2, reply 2 of 2); no_human_click: A3, A4 (interview 1 of 2, reply 1 of 2).
            Assert.That(Describe(groups["human_click"]), Is.EqualTo("2 0.5 [0.0945, 0.9055] 1 [0.3424, 1] False"));
            Assert.That(Describe(groups["no_human_click"]), Is.EqualTo("2 0.5 [0.0945, 0.9055] 0.5 [0.0945, 0.9055] False"));
            // Apply_Now was sent to A1 and A2 and opened by a person in A2 only (no interview, a reply).
            Assert.That(Describe(groups["opened:Apply_Now"]), Is.EqualTo("1 0 [0, 0.7935] 1 [0.2065, 1] False"));
            // Portfolio was opened by a person in A1 only (interview, reply); A3's scanner fetch is no opening.
            Assert.That(Describe(groups["opened:Portfolio"]), Is.EqualTo("1 1 [0.2065, 1] 1 [0.2065, 1] False"));
        });
    }

    [Test]
    public async Task Report_HasTheFunnelAndTheEngagementRates()
    {
        var application = Guid.NewGuid();
        var link = await CreateLinkIdAsync(jobId: Guid.NewGuid(), applicationId: application, linkFunction: "Portfolio");
        await SeedClicksAsync(Click(link, TimeSpan.FromHours(1), "p", userAgent: Person));
        await RecordAsync(application, "interview");

        var report = await GetJsonAsync($"{Api}/report?days=7");

        var funnel = report.GetProperty("funnel").EnumerateArray().ToDictionary(s => s.GetProperty("step").GetString()!, s => s.GetProperty("applications").GetInt32());
        var human = report.GetProperty("engagement_vs_outcome").EnumerateArray().First(g => g.GetProperty("group").GetString() == "human_click");
        Assert.Multiple(() =>
        {
            Assert.That(funnel["sent"], Is.GreaterThanOrEqualTo(1), report.ToString());
            Assert.That(funnel["interview"], Is.GreaterThanOrEqualTo(1));
            Assert.That(funnel["opened_by_person"], Is.LessThanOrEqualTo(funnel["fetched"]));
            Assert.That(human.GetProperty("interview_rate_ci95").GetArrayLength(), Is.EqualTo(2));
        });
    }

    private static string Describe(JsonElement group) =>
        $"{group.GetProperty("applications").GetInt32()} {group.GetProperty("interview_rate").GetDouble()} {Interval(group.GetProperty("interview_rate_ci95"))} " +
        $"{group.GetProperty("reply_rate").GetDouble()} {Interval(group.GetProperty("reply_rate_ci95"))} {group.GetProperty("significant").GetBoolean()}";

    private static string Interval(JsonElement bounds) => $"[{bounds[0].GetDouble()}, {bounds[1].GetDouble()}]";

    private async Task RecordAsync(Guid applicationId, params string[] stages)
    {
        for (var i = 0; i < stages.Length; i++)
        {
            using var response = await PostJsonAsync(Admin, $"{Api}/applications/{applicationId}/outcomes", new { stage = stages[i], occurred_at = Now - TimeSpan.FromMinutes(30 - i) });
            Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
        }
    }
}
