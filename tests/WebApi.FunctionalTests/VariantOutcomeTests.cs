using System.Text.Json;
using LinkTracking.Domain.Links;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// A job summary's <c>variants</c> (per link, one grouped read) and <c>variant_outcomes</c> (applications by the
/// variant their person landed on first), on both providers, against a hand-counted job (docs/outcomes.md).
/// </summary>
public sealed class VariantOutcomeTests(TestProvider provider) : ApiFixture(provider)
{
    private const string Scanner = "Googlebot/2.1 (+http://www.google.com/bot.html)";

    private static readonly object[] TwoVariants =
    [
        new { key = "a", url = "https://example.com/cv-a", weight = 50 },
        new { key = "b", url = "https://example.com/cv-b", weight = 50 },
    ];

    /// <summary>
    /// Nine Resume links with variants a/b, one per application: A1–A4 a person lands on a, all four reach
    /// <c>interview</c>; B1–B4 a person lands on b (B4's person comes back later on a: B4 still counts for b), none
    /// replies (B1 is rejected); S is fetched by a scanner only and hired (no human click: in no variant). A plain
    /// link of another application is in neither breakdown. a: 4 of 4 interview and reply, [0.5101, 1]; b: 0 of 4,
    /// [0, 0.4899]: the intervals do not overlap, so both are significant.
    /// </summary>
    [Test]
    public async Task JobSummary_BreaksHumanClicksAndOutcomesDownByVariant()
    {
        var jobId = Guid.NewGuid();
        var sessions = new Queue<string>(SessionsLandingOn("a", 5));
        var bSessions = new Queue<string>(SessionsLandingOn("b", 4));
        var links = new Dictionary<string, (Guid Application, string TrackingId)>(StringComparer.Ordinal);
        foreach (var name in new[] { "A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4", "S" })
        {
            var application = Guid.NewGuid();
            var link = await Factory.CreateLinkAsync(new { original_url = "https://example.com/cv", link_function = "Resume", job_id = jobId, application_id = application, variants = TwoVariants });
            links[name] = (application, link.GetProperty("tracking_id").GetString()!);
        }

        var plainApplication = Guid.NewGuid();
        var plain = await CreateLinkIdAsync(jobId: jobId, applicationId: plainApplication, linkFunction: "Resume");

        var address = 0;
        foreach (var name in new[] { "A1", "A2", "A3", "A4" })
        {
            await FollowAsync(links[name].TrackingId, ++address, sessions.Dequeue(), "https://example.com/cv-a");
        }

        foreach (var name in new[] { "B1", "B2", "B3", "B4" })
        {
            await FollowAsync(links[name].TrackingId, ++address, bSessions.Dequeue(), "https://example.com/cv-b");
        }

        await FollowAsync(links["B4"].TrackingId, ++address, sessions.Dequeue(), "https://example.com/cv-a");
        await FollowAsync(links["S"].TrackingId, ++address, session: null, expected: null, userAgent: Scanner);
        await FollowAsync(plain, ++address, "plain-visitor", "https://example.com/landing");

        foreach (var name in new[] { "A1", "A2", "A3", "A4" })
        {
            await RecordAsync(links[name].Application, "interview");
        }

        await RecordAsync(links["B1"].Application, "rejected");
        await RecordAsync(links["S"].Application, "hired");
        await RecordAsync(plainApplication, "hired");

        var summary = await GetJsonAsync($"{Api}/jobs/{jobId}/summary");
        var applicationSummary = await GetJsonAsync($"{Api}/applications/{links["B4"].Application}/summary");

        var variants = summary.GetProperty("variants");
        var outcomes = summary.GetProperty("variant_outcomes").EnumerateArray().Select(Describe).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(Names(variants), Is.EquivalentTo(links.Values.Select(l => l.TrackingId)), "every link with variants, not the plain one");
            Assert.That(HumanClicks(variants.GetProperty(links["A1"].TrackingId)), Is.EqualTo("a 1 1, b 0 0"), summary.ToString());
            Assert.That(HumanClicks(variants.GetProperty(links["B4"].TrackingId)), Is.EqualTo("a 1 0.5, b 1 0.5"));
            Assert.That(HumanClicks(variants.GetProperty(links["S"].TrackingId)), Is.EqualTo("a 0 0, b 0 0"), "a scanner is no human click");
            Assert.That(variants.GetProperty(links["B4"].TrackingId).GetProperty("b").GetProperty("rate_ci95").EnumerateArray().Select(e => e.GetDouble()), Is.EqualTo(new[] { 0.0945, 0.9055 }));
            Assert.That(outcomes, Is.EqualTo(new[]
            {
                "Resume a 4 1 [0.5101, 1] 1 [0.5101, 1] True",
                "Resume b 4 0 [0, 0.4899] 0 [0, 0.4899] True",
            }), summary.ToString());
            Assert.That(Names(applicationSummary.GetProperty("variants")), Is.EqualTo(new[] { links["B4"].TrackingId }));
        });
    }

    [Test]
    public async Task JobSummary_WithoutVariants_HasEmptyBreakdowns()
    {
        var jobId = Guid.NewGuid();
        await CreateLinkIdAsync(jobId: jobId, applicationId: Guid.NewGuid(), linkFunction: "Resume");

        var summary = await GetJsonAsync($"{Api}/jobs/{jobId}/summary");

        Assert.Multiple(() =>
        {
            Assert.That(Names(summary.GetProperty("variants")), Is.Empty);
            Assert.That(summary.GetProperty("variant_outcomes").GetArrayLength(), Is.Zero);
        });
    }

    /// <summary>Session ids the redirect assigns to <paramref name="key"/> of a 50/50 a/b link (assignment depends on the visitor only).</summary>
    private static IEnumerable<string> SessionsLandingOn(string key, int count)
    {
        var variants = new[] { ("a", 50), ("b", 50) };
        return Enumerable.Range(0, 1000)
            .Select(i => $"person-{key}-{i}")
            .Where(s => variants[VariantAssignment.Choose(VariantAssignment.ForSession(s), variants, v => v.Item1, v => v.Item2)].Item1 == key)
            .Take(count);
    }

    /// <summary>Follows a link a minute after the previous click, so that "first" is well defined.</summary>
    private async Task FollowAsync(string trackingId, int address, string? session, string? expected, string? userAgent = null)
    {
        Factory.Time.Advance(TimeSpan.FromMinutes(1));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/track/{trackingId}");
        request.Headers.Add(LinkTrackingApiFactory.RemoteIpHeader, $"198.51.100.{address}");
        if (session is not null)
        {
            request.Headers.Add("Cookie", "session_id=" + session);
        }

        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        using var response = await Anonymous.SendAsync(request);
        if (expected is not null)
        {
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo(expected), $"session {session}");
        }
    }

    private async Task RecordAsync(Guid applicationId, string stage)
    {
        using var response = await PostJsonAsync(Admin, $"{Api}/applications/{applicationId}/outcomes", new { stage, occurred_at = Factory.Time.GetUtcNow() - TimeSpan.FromMinutes(1) });
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
    }

    private static string HumanClicks(JsonElement variants) =>
        string.Join(", ", variants.EnumerateObject().Select(v => $"{v.Name} {v.Value.GetProperty("human_clicks").GetInt32()} {v.Value.GetProperty("rate").GetDouble()}"));

    private static string Describe(JsonElement group) =>
        $"{group.GetProperty("link_function").GetString()} {group.GetProperty("variant").GetString()} {group.GetProperty("applications").GetInt32()} " +
        $"{group.GetProperty("interview_rate").GetDouble()} {Interval(group.GetProperty("interview_rate_ci95"))} " +
        $"{group.GetProperty("reply_rate").GetDouble()} {Interval(group.GetProperty("reply_rate_ci95"))} {group.GetProperty("significant").GetBoolean()}";

    private static string Interval(JsonElement bounds) => $"[{bounds[0].GetDouble()}, {bounds[1].GetDouble()}]";
}
