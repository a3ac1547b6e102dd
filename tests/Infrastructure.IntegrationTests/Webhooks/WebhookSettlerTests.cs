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
/// The settler on both providers: a scanner's burst is reclassified before anything is announced, so the only
/// <c>application.first_human_click</c> is the person's, once, after the window; <c>click.human</c> for each person's click.
/// </summary>
public sealed class WebhookSettlerTests(TestProvider provider) : DatabaseFixture(provider)
{
    private static readonly Guid Application = Guid.Parse("0a0a0a0a-5555-4b4b-8b8b-000000000005");
    private static readonly ClickClassificationOptions Classification = new() { BurstWindow = TimeSpan.FromSeconds(10), DecoyWindow = TimeSpan.FromSeconds(20) };
    private static readonly WebhookOptions Options = new() { AllowPrivateTargets = true, RequireHttps = false, SettleMargin = TimeSpan.FromSeconds(5) };

    [Test]
    public async Task AScannerBurstThenAPersonsClick_GiveExactlyOneFirstHumanClick_ThePersons_OnlyAfterTheWindow()
    {
        var clock = new FakeTimeProvider(TestData.Now);
        await using var kit = new WebhookKit(Database, clock, Options, Classification);
        await kit.SubscribeAsync(new Uri("http://127.0.0.1:9/hook"), [WebhookEventTypes.ApplicationFirstHumanClick, WebhookEventTypes.ClickHuman], Application);
        var settler = kit.Settler();
        await settler.SettleAsync(CancellationToken.None); // starts the cursor at now - window
        var links = new[] { "LinkedIn", "Calendly", "Portfolio" }.Select(f => TestData.Link(f, applicationId: Application)).ToArray();
        await TestData.SaveLinksAsync(Database, links);
        var writer = Writer();

        // The scanner's first fetch looks human on its own...
        await writer.WriteAsync([Click(links[0], "AS16509", TestData.Now.AddSeconds(1))], CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(3));
        await settler.SettleAsync(CancellationToken.None);
        // ...until the rest of its burst arrives; then a person clicks.
        await writer.WriteAsync([Click(links[1], "AS16509", TestData.Now.AddSeconds(2)), Click(links[2], "AS16509", TestData.Now.AddSeconds(3))], CancellationToken.None);
        var person = Click(links[0], "AS3320", TestData.Now.AddSeconds(30));
        await writer.WriteAsync([person], CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(40)); // T+43: the person's click is 13 s old, inside the 25 s settle delay
        await settler.SettleAsync(CancellationToken.None);
        var beforeTheWindow = await EventsAsync();

        clock.Advance(TimeSpan.FromSeconds(20)); // T+63: 33 s old
        await settler.SettleAsync(CancellationToken.None);
        var afterTheWindow = await EventsAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(beforeTheWindow, Is.Empty);
            Assert.That(afterTheWindow.Select(e => e.Type), Is.EquivalentTo(new[] { WebhookEventTypes.ClickHuman, WebhookEventTypes.ApplicationFirstHumanClick }));
            Assert.That(afterTheWindow.Select(e => e.ClickId), Is.All.EqualTo(person.Id.ToString()));
        }
    }

    [Test]
    public async Task LaterHumanClicks_AreAnnouncedAsClickHuman_ButTheFirstHumanClickIsNeverAnnouncedAgain()
    {
        var clock = new FakeTimeProvider(TestData.Now);
        await using var kit = new WebhookKit(Database, clock, Options, Classification);
        await kit.SubscribeAsync(new Uri("http://127.0.0.1:9/hook"), [WebhookEventTypes.ApplicationFirstHumanClick, WebhookEventTypes.ClickHuman]);
        var settler = kit.Settler();
        await settler.SettleAsync(CancellationToken.None);
        var link = TestData.Link("LinkedIn", applicationId: Application);
        await TestData.SaveLinksAsync(Database, link);
        var writer = Writer();

        await writer.WriteAsync([Click(link, "AS3320", TestData.Now.AddSeconds(1))], CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(1));
        await settler.SettleAsync(CancellationToken.None);
        await writer.WriteAsync([Click(link, "AS3320", TestData.Now.AddMinutes(2)), Click(link, "AS7922", TestData.Now.AddMinutes(2).AddSeconds(5))], CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(5));
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
        await Writer().WriteAsync([.. Enumerable.Range(1, 20).Select(i => Click(link, $"AS{3000 + i}", TestData.Now.AddSeconds(i)))], CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(2));

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

    private ReclassifyingTestWriter Writer() => TestData.ReclassifyingWriter(Database, Classification);

    private async Task<List<(string Type, string? ClickId)>> EventsAsync()
    {
        await using var db = Database.CreateContext();
        var rows = await db.WebhookOutbox.AsNoTracking().OrderBy(m => m.CreatedAt).ToListAsync();
        return [.. rows.Select(r => (r.Type, JsonDocument.Parse(r.Payload).RootElement.GetProperty("data").GetProperty("click_id").GetString()))];
    }
}
