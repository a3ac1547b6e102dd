using System.Text.Json;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using LinkTracking.Domain.Webhooks;
using LinkTracking.Infrastructure.Webhooks;
using LinkTracking.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace LinkTracking.Infrastructure.IntegrationTests.Webhooks;

/// <summary>
/// The alert evaluator on both providers: a click spike is announced once per spike and never for a steady rate; an
/// application fetched only by scanners for 7 days is announced once, never one a person opened; a pipeline backlog
/// once per episode and node. Every episode is recorded in the database, so a new evaluator (a restart) sends nothing again.
/// </summary>
public sealed class WebhookAlertTests(TestProvider provider) : DatabaseFixture(provider)
{
    private static readonly Guid Application = Guid.Parse("0a0a0a0a-7777-4b4b-8b8b-000000000001");
    private static readonly Guid OtherApplication = Guid.Parse("0a0a0a0a-7777-4b4b-8b8b-000000000002");
    private static readonly Uri Hook = new("http://127.0.0.1:9/hook");

    private static WebhookOptions Options() => new()
    {
        AllowPrivateTargets = true,
        RequireHttps = false,
        Alerts = new WebhookAlertOptions { ClickSpikeFactor = 5, ClickSpikeMinClicks = 10 },
    };

    [Test]
    public async Task AClickSpike_IsAnnouncedOncePerSpike_ASteadyRateAndAFewClicksOnAQuietLinkNever()
    {
        var clock = new FakeTimeProvider(TestData.Now);
        await using var kit = new WebhookKit(Database, clock, Options());
        await kit.SubscribeAsync(Hook, [WebhookEventTypes.AlertClickSpike]);
        var quiet = TestData.Link("LinkedIn", applicationId: Application, createdAt: TestData.Now.AddDays(-10));
        var steady = TestData.Link("Portfolio", applicationId: Application, createdAt: TestData.Now.AddDays(-10));
        var idle = TestData.Link("Calendly", applicationId: Application, createdAt: TestData.Now.AddDays(-10));
        await TestData.SaveLinksAsync(Database, quiet, steady, idle);

        // The 7 days before the last hour: the quiet link one human click every 6 hours, the steady one 6 an hour.
        var baselineEnd = TestData.Now.AddHours(-1);
        var history = new List<LinkClick>();
        for (var hour = 1; hour <= 7 * 24; hour++)
        {
            var start = baselineEnd.AddHours(-hour);
            history.AddRange(Enumerable.Range(0, 6).Select(i => TestData.Click(steady, start.AddMinutes(5 + (i * 9)))));
            if (hour % 6 == 0)
            {
                history.Add(TestData.Click(quiet, start.AddMinutes(30)));
            }
        }

        await TestData.SaveClicksAsync(Database, [.. history]);
        // The last hour: 12 human clicks on each of the quiet and the steady link (the steady one's usual is 6 an hour,
        // 12 is not 5x that), 3 on the idle one (below the minimum of 10), and bots on the idle one, which never count.
        await TestData.SaveClicksAsync(Database, [.. LastHour(quiet, 12), .. LastHour(steady, 12), .. LastHour(idle, 3),
            .. Enumerable.Range(0, 40).Select(i => TestData.Click(idle, TestData.Now.AddMinutes(-40).AddSeconds(i), classification: ClickClassification.Bot(BotCategory.Scanner, "agent_list")))]);

        var evaluator = kit.Evaluator();
        var first = await evaluator.CheckAsync(WebhookEventTypes.AlertClickSpike, CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(1));
        var again = await evaluator.CheckAsync(WebhookEventTypes.AlertClickSpike, CancellationToken.None);
        var afterRestart = await kit.Evaluator().CheckAsync(WebhookEventTypes.AlertClickSpike, CancellationToken.None);
        var events = await EventsAsync(WebhookEventTypes.AlertClickSpike);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((first, again, afterRestart), Is.EqualTo((1, 0, 0)));
            Assert.That(events, Has.Count.EqualTo(1));
            var data = events[0];
            Assert.That(data.GetProperty("tracking_id").GetString(), Is.EqualTo(quiet.TrackingId.Value));
            Assert.That(data.GetProperty("application_id").GetGuid(), Is.EqualTo(Application));
            Assert.That(data.GetProperty("human_clicks").GetInt32(), Is.EqualTo(12));
            Assert.That(data.GetProperty("usual_hourly_rate").GetDouble(), Is.EqualTo(28 / 168.0).Within(0.001));
            Assert.That(data.GetProperty("factor").GetDouble(), Is.EqualTo(5));
            Assert.That(data.GetProperty("min_clicks").GetInt32(), Is.EqualTo(10));
        }

        // Two quiet hours end the spike; a new one is announced again.
        clock.Advance(TimeSpan.FromHours(2));
        var quietAgain = await evaluator.CheckAsync(WebhookEventTypes.AlertClickSpike, CancellationToken.None);
        await TestData.SaveClicksAsync(Database, [.. Enumerable.Range(0, 15).Select(i => TestData.Click(quiet, clock.GetUtcNow().UtcDateTime.AddMinutes(-30).AddSeconds(i)))]);
        var second = await evaluator.CheckAsync(WebhookEventTypes.AlertClickSpike, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((quietAgain, second), Is.EqualTo((0, 1)));
            Assert.That(await EventsAsync(WebhookEventTypes.AlertClickSpike), Has.Count.EqualTo(2));
        }
    }

    [Test]
    public async Task AnApplicationFetchedOnlyByScannersForSevenDays_IsAnnouncedOnce_OneAPersonOpenedNever()
    {
        var clock = new FakeTimeProvider(TestData.Now);
        await using var kit = new WebhookKit(Database, clock, Options());
        await kit.SubscribeAsync(Hook, [WebhookEventTypes.AlertScannerOnly]);
        var job = Guid.NewGuid();
        var scanned = new[] { "LinkedIn", "Portfolio" }.Select(f => TestData.Link(f, jobId: job, applicationId: Application)).ToArray();
        var opened = TestData.Link("LinkedIn", jobId: job, applicationId: OtherApplication);
        await TestData.SaveLinksAsync(Database, [.. scanned, opened]);
        var scanner = ClickClassification.Bot(BotCategory.Scanner, "agent_list");
        await TestData.SaveClicksAsync(
            Database,
            TestData.Click(scanned[0], TestData.Now, classification: scanner),
            TestData.Click(scanned[1], TestData.Now.AddSeconds(1), classification: scanner),
            TestData.Click(scanned[0], TestData.Now.AddDays(3), classification: ClickClassification.Bot(BotCategory.Preview, "agent_list")),
            TestData.Click(opened, TestData.Now, classification: scanner),
            TestData.Click(opened, TestData.Now.AddDays(2)));

        clock.Advance(TimeSpan.FromDays(6));
        var afterSixDays = await kit.Evaluator().CheckAsync(WebhookEventTypes.AlertScannerOnly, CancellationToken.None);
        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromHours(1));
        var afterSevenDays = await kit.Evaluator().CheckAsync(WebhookEventTypes.AlertScannerOnly, CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(5));
        var later = await kit.Evaluator().CheckAsync(WebhookEventTypes.AlertScannerOnly, CancellationToken.None); // a restarted evaluator: nothing new

        var events = await EventsAsync(WebhookEventTypes.AlertScannerOnly);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((afterSixDays, afterSevenDays, later), Is.EqualTo((0, 1, 0)));
            Assert.That(events, Has.Count.EqualTo(1));
            var data = events[0];
            Assert.That(data.GetProperty("application_id").GetGuid(), Is.EqualTo(Application));
            Assert.That(data.GetProperty("job_id").GetGuid(), Is.EqualTo(job));
            Assert.That(data.GetProperty("links").GetInt32(), Is.EqualTo(2));
            Assert.That(data.GetProperty("scanner_fetches").GetInt64(), Is.EqualTo(3));
            Assert.That(data.GetProperty("first_fetch_hour").GetDateTime(), Is.EqualTo(TestData.Now));
            Assert.That(data.GetProperty("after_days").GetDouble(), Is.EqualTo(7));
        }
    }

    [Test]
    public async Task APipelineBacklog_IsAnnouncedOncePerEpisodeAndNode()
    {
        var clock = new FakeTimeProvider(TestData.Now);
        var options = Options();
        options.Alerts.PipelineBacklogAge = TimeSpan.FromMinutes(5);
        options.Alerts.PipelineBacklogBytes = 1_000_000;
        await using var kit = new WebhookKit(Database, clock, options);
        await kit.SubscribeAsync(Hook, [WebhookEventTypes.AlertPipelineBacklog]);
        var reading = new ClickPipelineBacklog(0, TimeSpan.Zero);
        var pipeline = new Mock<IClickPipelineBacklog>();
        pipeline.Setup(p => p.Read()).Returns(() => reading);
        var evaluator = kit.Evaluator(pipeline.Object, "node-a");
        var other = kit.Evaluator(Mock.Of<IClickPipelineBacklog>(p => p.Read() == new ClickPipelineBacklog(5_000_000, TimeSpan.Zero)), "node-b");

        var raised = new List<bool>();
        async Task Round(WebhookAlertEvaluator e)
        {
            raised.Add(await e.CheckAsync(WebhookEventTypes.AlertPipelineBacklog, CancellationToken.None) > 0);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        await Round(evaluator);
        reading = new ClickPipelineBacklog(200, TimeSpan.FromMinutes(12));
        await Round(evaluator);
        await Round(evaluator);
        await Round(kit.Evaluator(pipeline.Object, "node-a")); // restarted
        reading = new ClickPipelineBacklog(0, TimeSpan.Zero);
        await Round(evaluator);
        reading = new ClickPipelineBacklog(2_000_000, TimeSpan.FromSeconds(30));
        await Round(evaluator);
        var otherNode = await other.CheckAsync(WebhookEventTypes.AlertPipelineBacklog, CancellationToken.None) > 0;

        var events = await EventsAsync(WebhookEventTypes.AlertPipelineBacklog);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(raised, Is.EqualTo(new[] { false, true, false, false, false, true }));
            Assert.That(otherNode, Is.True);
            Assert.That(events.Select(e => e.GetProperty("node").GetString()), Is.EqualTo(new[] { "node-a", "node-a", "node-b" }));
            Assert.That(events[0].GetProperty("oldest_unmoved_age_seconds").GetDouble(), Is.EqualTo(720));
            Assert.That(events[0].GetProperty("exceeded").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "oldest_unmoved_age" }));
            Assert.That(events[1].GetProperty("spool_bytes").GetInt64(), Is.EqualTo(2_000_000));
            Assert.That(events[1].GetProperty("exceeded").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "spool_bytes" }));
            Assert.That(events[1].GetProperty("threshold_spool_bytes").GetInt64(), Is.EqualTo(1_000_000));
        }
    }

    private static IEnumerable<LinkClick> LastHour(TrackedLink link, int count) =>
        Enumerable.Range(0, count).Select(i => TestData.Click(link, TestData.Now.AddMinutes(-50).AddMinutes(i * 3)));

    /// <summary>The <c>data</c> of every outbox row of <paramref name="type"/>, oldest first.</summary>
    private async Task<List<JsonElement>> EventsAsync(string type)
    {
        await using var db = Database.CreateContext();
        var rows = await db.WebhookOutbox.AsNoTracking().Where(m => m.Type == type).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).Select(m => m.Payload).ToListAsync();
        return [.. rows.Select(p => JsonDocument.Parse(p).RootElement.GetProperty("data").Clone())];
    }
}
