using System.Net;
using System.Text.Json;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>POST/GET/DELETE applications/{application_id}/outcomes and GET applications/{application_id}/journey.</summary>
public sealed class OutcomeTests(TestProvider provider) : ApiFixture(provider)
{
    private static readonly Guid JobId = Guid.Parse("5d1c0a9b-8e7f-4d6c-9b5a-4f3e2d1c0b01");

    [Test]
    public async Task Record_WithAKnownEventId_AnswersTheFirstRecordWith200()
    {
        var applicationId = Guid.NewGuid();

        using var first = await PostJsonAsync(Admin, Outcomes(applicationId), new { stage = "replied", event_id = "mail-81", note = "first" });
        using var retry = await PostJsonAsync(Admin, Outcomes(applicationId), new { stage = "interview", event_id = "mail-81", note = "retry" });
        var created = await ReadJsonAsync(first);
        var answered = await ReadJsonAsync(retry);
        var list = await GetJsonAsync(Outcomes(applicationId));

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created), created.ToString());
            Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.OK), answered.ToString());
            Assert.That(answered.GetProperty("id").GetGuid(), Is.EqualTo(created.GetProperty("id").GetGuid()));
            Assert.That(answered.GetProperty("stage").GetString(), Is.EqualTo("replied"));
            Assert.That(answered.GetProperty("note").GetString(), Is.EqualTo("first"));
            Assert.That(list.GetArrayLength(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Record_WithoutOccurredAt_UsesNow()
    {
        var applicationId = Guid.NewGuid();

        using var response = await PostJsonAsync(Admin, Outcomes(applicationId), new { stage = "applied" });
        var outcome = await ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), outcome.ToString());
        Assert.That(outcome.GetProperty("occurred_at").GetDateTimeOffset(), Is.EqualTo(Now));
    }

    [Test]
    public async Task List_AfterBackfills_IsOrderedByOccurredAtNotByRecording()
    {
        var applicationId = Guid.NewGuid();
        await RecordAsync(applicationId, "interview", TimeSpan.FromDays(1));
        await RecordAsync(applicationId, "applied", TimeSpan.FromDays(10));
        await RecordAsync(applicationId, "replied", TimeSpan.FromDays(5));

        var list = await GetJsonAsync(Outcomes(applicationId));

        Assert.That(list.EnumerateArray().Select(o => o.GetProperty("stage").GetString()), Is.EqualTo(new[] { "applied", "replied", "interview" }));
    }

    [Test]
    public async Task Record_WithOccurredAtMoreThanFiveMinutesAhead_IsRefusedNamingTheField()
    {
        using var response = await PostJsonAsync(Admin, Outcomes(Guid.NewGuid()), new { stage = "offer", occurred_at = Now + TimeSpan.FromMinutes(6) });

        await AssertValidationErrorAsync(response, "occurred_at");
    }

    [Test]
    public async Task Record_WithAnUnknownStage_IsRefusedNamingTheField()
    {
        using var response = await PostJsonAsync(Admin, Outcomes(Guid.NewGuid()), new { stage = "ghosted" });

        await AssertValidationErrorAsync(response, "stage");
    }

    [Test]
    public async Task Delete_RemovesTheOutcome_ThenAnswers404()
    {
        var applicationId = Guid.NewGuid();
        var id = await RecordAsync(applicationId, "rejected", TimeSpan.FromHours(1));

        using var deleted = await Admin.DeleteAsync($"{Outcomes(applicationId)}/{id}");
        using var again = await Admin.DeleteAsync($"{Outcomes(applicationId)}/{id}");
        var list = await GetJsonAsync(Outcomes(applicationId));

        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await AssertProblemAsync(again, HttpStatusCode.NotFound);
        Assert.That(list.GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task EraseClicks_OfAnApplication_LeavesItsOutcomes()
    {
        var applicationId = Guid.NewGuid();
        var trackingId = await CreateLinkIdAsync(jobId: JobId, applicationId: applicationId);
        await SeedClicksAsync(Click(trackingId, TimeSpan.FromHours(2), "s1"));
        await RecordAsync(applicationId, "replied", TimeSpan.FromHours(1));

        using var erased = await Admin.DeleteAsync($"{Api}/privacy/clicks?application_id={applicationId}");
        var list = await GetJsonAsync(Outcomes(applicationId));

        Assert.That(erased.StatusCode, Is.EqualTo(HttpStatusCode.OK), await erased.Content.ReadAsStringAsync());
        Assert.That(list.EnumerateArray().Select(o => o.GetProperty("stage").GetString()), Is.EqualTo(new[] { "replied" }));
    }

    [Test]
    public async Task Journey_WithAScannerAPersonAndThreeOutcomes_TellsTheStoryInOrder()
    {
        var applicationId = Guid.NewGuid();
        var sentAt = Now - TimeSpan.FromDays(3);
        using (var package = await PostJsonAsync(Admin, $"{Api}/applications/{applicationId}/links", new
        {
            job_id = JobId,
            job_data = new { apply_url = "https://acme.example.com/apply/7" },
            sent_at = sentAt,
        }))
        {
            Assert.That(package.StatusCode, Is.EqualTo(HttpStatusCode.Created), await package.Content.ReadAsStringAsync());
        }

        var trackingId = await FindTrackingIdAsync(applicationId, "Apply_Now");
        await RecordAsync(applicationId, "applied", TimeSpan.FromDays(3) - TimeSpan.FromMinutes(1));
        await SeedClicksAsync(
            Click(trackingId, TimeSpan.FromDays(3) - TimeSpan.FromSeconds(20), "scan", userAgent: "Googlebot/2.1 (+http://www.google.com/bot.html)"),
            Click(trackingId, TimeSpan.FromDays(2), "person", userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"));
        await RecordAsync(applicationId, "interview", TimeSpan.FromDays(1));
        await RecordAsync(applicationId, "replied", TimeSpan.FromDays(1) + TimeSpan.FromHours(12));

        var journey = await GetJsonAsync($"{Api}/applications/{applicationId}/journey");

        var events = journey.GetProperty("events").EnumerateArray().ToList();
        var milestones = journey.GetProperty("milestones");
        var toStage = milestones.GetProperty("seconds_from_first_human_click_to");
        Assert.Multiple(() =>
        {
            Assert.That(journey.GetProperty("application_id").GetGuid(), Is.EqualTo(applicationId));
            Assert.That(journey.GetProperty("job_id").GetGuid(), Is.EqualTo(JobId));
            Assert.That(journey.GetProperty("sent_at").GetDateTimeOffset(), Is.EqualTo(sentAt));
            Assert.That(journey.GetProperty("current_stage").GetString(), Is.EqualTo("interview"));
            Assert.That(events.Select(Describe), Is.EqualTo(new[] { "sent", "click:crawler", "outcome:applied", "click:human", "outcome:replied", "outcome:interview" }), journey.ToString());
            Assert.That(events[1].GetProperty("human").GetBoolean(), Is.False);
            Assert.That(events[1].GetProperty("signals").EnumerateArray().Select(s => s.GetString()), Does.Contain("agent_list"));
            Assert.That(events[3].GetProperty("human").GetBoolean(), Is.True);
            Assert.That(events[3].GetProperty("link_function").GetString(), Is.EqualTo("Apply_Now"));
            Assert.That(events[3].GetProperty("tracking_id").GetString(), Is.EqualTo(trackingId));
            Assert.That(events[3].GetProperty("device_type").GetString(), Is.EqualTo("desktop"));
            Assert.That(milestones.GetProperty("first_machine_fetch").GetDateTimeOffset(), Is.EqualTo(sentAt + TimeSpan.FromSeconds(20)));
            Assert.That(milestones.GetProperty("first_human_click").GetDateTimeOffset(), Is.EqualTo(Now - TimeSpan.FromDays(2)));
            Assert.That(milestones.GetProperty("seconds_to_first_human_click").GetDouble(), Is.EqualTo(TimeSpan.FromDays(1).TotalSeconds));
            Assert.That(Names(toStage), Is.EquivalentTo(new[] { "replied", "interview" }), "applied came before the first human click");
            Assert.That(toStage.GetProperty("replied").GetDouble(), Is.EqualTo(TimeSpan.FromHours(12).TotalSeconds));
            Assert.That(toStage.GetProperty("interview").GetDouble(), Is.EqualTo(TimeSpan.FromDays(1).TotalSeconds));
            Assert.That(journey.GetProperty("clicks_truncated").GetBoolean(), Is.False);
        });
    }

    [Test]
    public async Task Journey_OfAnUnknownApplication_Is404()
    {
        using var response = await Admin.GetAsync($"{Api}/applications/{Guid.NewGuid()}/journey");

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    private static string Outcomes(Guid applicationId) => $"{Api}/applications/{applicationId}/outcomes";

    private static string Describe(JsonElement e) => e.GetProperty("type").GetString() switch
    {
        "click" => $"click:{e.GetProperty("bot_category").GetString()}",
        "outcome" => $"outcome:{e.GetProperty("stage").GetString()}",
        var type => type!,
    };

    private async Task<Guid> RecordAsync(Guid applicationId, string stage, TimeSpan ago)
    {
        using var response = await PostJsonAsync(Admin, Outcomes(applicationId), new { stage, occurred_at = Now - ago });
        var outcome = await ReadJsonAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), outcome.ToString());
        return outcome.GetProperty("id").GetGuid();
    }

    private async Task<string> FindTrackingIdAsync(Guid applicationId, string linkFunction)
    {
        var page = await GetJsonAsync($"{Api}/links?application_id={applicationId}&link_function={linkFunction}");
        return page.GetProperty("items")[0].GetProperty("tracking_id").GetString()!;
    }
}
