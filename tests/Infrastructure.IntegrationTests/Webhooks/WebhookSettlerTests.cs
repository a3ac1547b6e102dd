using System.Net;
using System.Text.Json;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using LinkTracking.Domain.Webhooks;
using LinkTracking.Infrastructure.Webhooks;
using LinkTracking.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace LinkTracking.Infrastructure.IntegrationTests.Webhooks;

/// <summary>
/// The settler on both providers: a person's click is announced (<c>click.human</c>, and the application's first with
/// it) once its burst window has passed and the rollup worker has counted it — within 30 s — and a scanner's burst
/// completed meanwhile is never announced; evidence that comes later (a decoy hit) sends <c>click.reclassified</c>,
/// and the application's first human click, withdrawn, is announced again for the next person's click.
/// </summary>
public sealed class WebhookSettlerTests(TestProvider provider) : DatabaseFixture(provider)
{
    private static readonly Guid Application = Guid.Parse("0a0a0a0a-5555-4b4b-8b8b-000000000005");
    private static readonly ClickClassificationOptions Classification = new() { BurstWindow = TimeSpan.FromSeconds(10), DecoyWindow = TimeSpan.FromMinutes(30) };
    private static readonly WebhookOptions Options = new() { AllowPrivateTargets = true, RequireHttps = false };

    private static readonly string[] ClickEvents =
        [WebhookEventTypes.ApplicationFirstHumanClick, WebhookEventTypes.ClickHuman, WebhookEventTypes.ClickReclassified];

    [Test]
    public async Task APersonsClick_IsAnnouncedWithinHalfAMinute_OnceItsBurstWindowHasPassed_AndAScannersBurstNever()
    {
        var clock = new FakeTimeProvider(TestData.Now);
        await using var kit = new WebhookKit(Database, clock, Options, Classification);
        await kit.SubscribeAsync(new Uri("http://127.0.0.1:9/hook"), ClickEvents, Application);
        var settler = kit.Settler();
        await settler.SettleAsync(CancellationToken.None); // starts the cursor at the watermark
        var links = new[] { "LinkedIn", "Calendly", "Portfolio" }.Select(f => TestData.Link(f, applicationId: Application)).ToArray();
        await TestData.SaveLinksAsync(Database, links);

        // The scanner's first fetch looks human on its own...
        await kit.StoreAsync(Click(links[0], "AS16509", TestData.Now.AddSeconds(1)));
        clock.Advance(TimeSpan.FromSeconds(3));
        await kit.StoreAsync();
        await settler.SettleAsync(CancellationToken.None);
        // ...until the rest of its burst arrives; then a person clicks.
        await kit.StoreAsync(Click(links[1], "AS16509", TestData.Now.AddSeconds(2)), Click(links[2], "AS16509", TestData.Now.AddSeconds(3)));
        clock.Advance(TimeSpan.FromSeconds(27));
        var person = Click(links[0], "AS3320", TestData.Now.AddSeconds(30));
        await kit.StoreAsync(person);
        clock.Advance(TimeSpan.FromSeconds(5)); // T+35: the person's click is 5 s old, inside its burst window
        await kit.StoreAsync();
        await settler.SettleAsync(CancellationToken.None);
        var insideTheBurstWindow = await EventsAsync();

        clock.Advance(TimeSpan.FromSeconds(7)); // T+42: 12 s old
        await kit.StoreAsync();
        await settler.SettleAsync(CancellationToken.None);
        var announced = await EventsAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(insideTheBurstWindow, Is.Empty);
            Assert.That(announced.Select(e => e.Type), Is.EquivalentTo(new[] { WebhookEventTypes.ClickHuman, WebhookEventTypes.ApplicationFirstHumanClick }));
            Assert.That(announced.Select(e => e.ClickId), Is.All.EqualTo(person.Id.ToString()));
            Assert.That(announced.Select(e => e.CreatedAt - person.ClickedAt), Is.All.LessThanOrEqualTo(TimeSpan.FromSeconds(30)));
        }
    }

    [Test]
    public async Task ALateDecoyHit_SendsClickReclassified_AndTheNextPersonsClickIsTheApplicationsFirstAgain()
    {
        var clock = new FakeTimeProvider(TestData.Now);
        await using var kit = new WebhookKit(Database, clock, Options, Classification);
        await kit.SubscribeAsync(new Uri("http://127.0.0.1:9/hook"), ClickEvents, Application);
        var settler = kit.Settler();
        await settler.SettleAsync(CancellationToken.None);
        var portfolio = TestData.Link("Portfolio", applicationId: Application);
        var decoy = TestData.Link(LinkFunction.Decoy, applicationId: Application);
        await TestData.SaveLinksAsync(Database, portfolio, decoy);

        // A fetch that looks like a person is announced at once, as the application's first human click...
        var scanner = Click(portfolio, "AS8075", TestData.Now.AddSeconds(1));
        await kit.StoreAsync(scanner);
        clock.Advance(TimeSpan.FromSeconds(12));
        await kit.StoreAsync();
        await settler.SettleAsync(CancellationToken.None);
        // ...until the same origin hits the decoy five minutes later.
        clock.Advance(TimeSpan.FromMinutes(5));
        await kit.StoreAsync(Click(decoy, "AS8075", clock.GetUtcNow().UtcDateTime));
        await settler.SettleAsync(CancellationToken.None);
        // Then a person clicks.
        clock.Advance(TimeSpan.FromMinutes(1));
        var person = Click(portfolio, "AS3320", clock.GetUtcNow().UtcDateTime);
        await kit.StoreAsync(person);
        clock.Advance(TimeSpan.FromSeconds(11));
        await kit.StoreAsync();
        await settler.SettleAsync(CancellationToken.None);

        var events = await EventsAsync();
        var reclassified = events.Single(e => e.Type == WebhookEventTypes.ClickReclassified).Data;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(events.Select(e => (e.Type, e.ClickId)), Is.EqualTo(new[]
            {
                (WebhookEventTypes.ApplicationFirstHumanClick, scanner.Id.ToString()),
                (WebhookEventTypes.ClickHuman, scanner.Id.ToString()),
                (WebhookEventTypes.ClickReclassified, scanner.Id.ToString()),
                (WebhookEventTypes.ApplicationFirstHumanClick, person.Id.ToString()),
                (WebhookEventTypes.ClickHuman, person.Id.ToString()),
            }));
            Assert.That(reclassified.GetProperty("from").GetString(), Is.EqualTo("human"));
            Assert.That(reclassified.GetProperty("to").GetString(), Is.EqualTo("scanner"));
            Assert.That(reclassified.GetProperty("signals").EnumerateArray().Select(s => s.GetString()), Does.Contain(ClickSignals.Decoy));
            Assert.That(reclassified.GetProperty("application_id").GetGuid(), Is.EqualTo(Application));
        }
    }

    [Test]
    public async Task LabelsAcrossTheLine_SendClickReclassified_AndAFirstClickLabelledBackIsNotAnnouncedAgain()
    {
        var clock = new FakeTimeProvider(TestData.Now);
        await using var kit = new WebhookKit(Database, clock, Options, Classification);
        await kit.SubscribeAsync(new Uri("http://127.0.0.1:9/hook"), ClickEvents, Application);
        var settler = kit.Settler();
        await settler.SettleAsync(CancellationToken.None);
        var link = TestData.Link("Portfolio", applicationId: Application);
        await TestData.SaveLinksAsync(Database, link);
        var first = Click(link, "AS3320", TestData.Now.AddSeconds(1));
        await kit.StoreAsync(first);
        clock.Advance(TimeSpan.FromSeconds(12));
        await kit.StoreAsync();
        await settler.SettleAsync(CancellationToken.None);

        clock.Advance(TimeSpan.FromMinutes(1));
        var asScanner = await kit.LabelAsync(first.Id, BotCategory.Scanner);
        clock.Advance(TimeSpan.FromMinutes(1));
        var asCrawler = await kit.LabelAsync(first.Id, BotCategory.Crawler); // bot to bot: nothing to tell
        clock.Advance(TimeSpan.FromMinutes(1));
        var backToHuman = await kit.LabelAsync(first.Id, BotCategory.Human);
        clock.Advance(TimeSpan.FromMinutes(1));
        var second = Click(link, "AS7922", clock.GetUtcNow().UtcDateTime);
        await kit.StoreAsync(second);
        clock.Advance(TimeSpan.FromSeconds(11));
        await kit.StoreAsync();
        await settler.SettleAsync(CancellationToken.None);

        var events = await EventsAsync();
        var changes = events.Where(e => e.Type == WebhookEventTypes.ClickReclassified)
            .Select(e => $"{e.Data.GetProperty("from").GetString()}>{e.Data.GetProperty("to").GetString()}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(new[] { asScanner, asCrawler, backToHuman }, Is.EqualTo(new[] { "scanner", "crawler", "human" }));
            Assert.That(changes, Is.EqualTo(new[] { "human>scanner", "crawler>human" }));
            Assert.That(events.Where(e => e.Type == WebhookEventTypes.ApplicationFirstHumanClick).Select(e => e.ClickId), Is.EqualTo(new[] { first.Id.ToString() }),
                "the first click, labelled back, is the application's first still: not announced again, and the next one is not first");
            Assert.That(events.Where(e => e.Type == WebhookEventTypes.ClickHuman).Select(e => e.ClickId), Is.EqualTo(new[] { first.Id.ToString(), second.Id.ToString() }));
        }
    }

    [Test]
    public async Task LaterHumanClicks_AreAnnouncedAsClickHuman_ButTheFirstHumanClickIsNeverAnnouncedAgain()
    {
        var clock = new FakeTimeProvider(TestData.Now);
        await using var kit = new WebhookKit(Database, clock, Options, Classification);
        await kit.SubscribeAsync(new Uri("http://127.0.0.1:9/hook"), ClickEvents);
        var settler = kit.Settler();
        await settler.SettleAsync(CancellationToken.None);
        var link = TestData.Link("LinkedIn", applicationId: Application);
        await TestData.SaveLinksAsync(Database, link);

        await kit.StoreAsync(Click(link, "AS3320", TestData.Now.AddSeconds(1)));
        clock.Advance(TimeSpan.FromMinutes(1));
        await kit.StoreAsync();
        await settler.SettleAsync(CancellationToken.None);
        await kit.StoreAsync(Click(link, "AS3320", TestData.Now.AddMinutes(2)), Click(link, "AS7922", TestData.Now.AddMinutes(2).AddSeconds(5)));
        clock.Advance(TimeSpan.FromMinutes(5));
        await kit.StoreAsync();
        await settler.SettleAsync(CancellationToken.None);
        await settler.SettleAsync(CancellationToken.None); // a second round finds nothing new

        var events = await EventsAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(events.Count(e => e.Type == WebhookEventTypes.ApplicationFirstHumanClick), Is.EqualTo(1));
            Assert.That(events.Count(e => e.Type == WebhookEventTypes.ClickHuman), Is.EqualTo(3));
        }
    }

    [Test]
    public async Task TwoSettlersOnTheSameRange_AnnounceEachClickOnce()
    {
        var clock = new FakeTimeProvider(TestData.Now);
        await using var kit = new WebhookKit(Database, clock, Options, Classification);
        await kit.SubscribeAsync(new Uri("http://127.0.0.1:9/hook"), [WebhookEventTypes.ClickHuman]);
        var one = kit.Settler();
        var other = kit.Settler();
        await one.SettleAsync(CancellationToken.None);
        var link = TestData.Link("LinkedIn", applicationId: Application);
        await TestData.SaveLinksAsync(Database, link);
        await kit.StoreAsync([.. Enumerable.Range(1, 20).Select(i => Click(link, $"AS{3000 + i}", TestData.Now.AddSeconds(i)))]);
        clock.Advance(TimeSpan.FromMinutes(2));
        await kit.StoreAsync();

        await Task.WhenAll(Race(one), Race(other));
        await one.SettleAsync(CancellationToken.None);

        var events = await EventsAsync();
        Assert.That(events.Select(e => e.ClickId).ToList(), Has.Count.EqualTo(20).And.Unique);
    }

    private static async Task Race(WebhookSettler settler)
    {
        try
        {
            await settler.SettleAsync(CancellationToken.None);
        }
        catch (DbUpdateException)
        {
            // SQLite: the loser may find the database busy; its round is simply lost and retried by the next one.
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static LinkClick Click(TrackedLink link, string origin, DateTime at) =>
        LinkClick.Record(new ClickDetails(link.TrackingId, at, IPAddress.Parse("198.51.100.7"), "Mozilla/5.0", null, null, ClickSource.Direct, null, null, null)
        {
            Origin = origin,
        });

    /// <summary>The outbox, oldest first (the events of one instant by type).</summary>
    private async Task<List<(string Type, string? ClickId, DateTime CreatedAt, JsonElement Data)>> EventsAsync()
    {
        await using var db = Database.CreateContext();
        var rows = await db.WebhookOutbox.AsNoTracking().ToListAsync();
        return [.. rows.OrderBy(r => r.CreatedAt).ThenBy(r => r.Type, StringComparer.Ordinal).Select(r =>
        {
            var data = JsonDocument.Parse(r.Payload).RootElement.GetProperty("data").Clone();
            return (r.Type, data.GetProperty("click_id").GetString(), DateTime.SpecifyKind(r.CreatedAt, DateTimeKind.Utc), data);
        })];
    }
}
