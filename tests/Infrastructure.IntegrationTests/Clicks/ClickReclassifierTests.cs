using System.Net;
using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Clicks;
using LinkTracking.Tests.Shared;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.IntegrationTests.Clicks;

/// <summary>
/// Bursts and decoys reclassified after a write, on both providers: what the journal's replay relies on — running
/// twice changes nothing — and that only the same application and origin take part.
/// </summary>
public sealed class ClickReclassifierTests(TestProvider provider) : DatabaseFixture(provider)
{
    private static readonly Guid Application = Guid.Parse("0a0a0a0a-2222-4b4b-8b8b-000000000001");
    private static readonly Guid OtherApplication = Guid.Parse("0b0b0b0b-3333-4c4c-8c8c-000000000002");

    [Test]
    public async Task ABurstIsReclassified_AndAReplayOfTheSameBatchChangesNothing()
    {
        var links = new[] { "LinkedIn", "Calendly", "Portfolio" }.Select(f => TestData.Link(f, applicationId: Application)).ToArray();
        await TestData.SaveLinksAsync(Database, links);
        var burst = links.Select((l, i) => Click(l, "198.51.100.0/24", TestData.Now.AddSeconds(i))).ToList();
        var writer = Writer();

        await writer.WriteAsync(burst, CancellationToken.None);
        var first = await StoredAsync();
        await writer.WriteAsync(burst, CancellationToken.None);
        var replayed = await StoredAsync();

        Assert.That(first.Select(c => (c.BotCategory, c.Signals)), Is.All.EqualTo((BotCategory.Scanner, (string?)"burst")));
        Assert.That(replayed.Select(c => (c.Id, c.BotCategory, c.BotReason, c.Signals)), Is.EqualTo(first.Select(c => (c.Id, c.BotCategory, c.BotReason, c.Signals))));
    }

    [Test]
    public async Task ClicksOfOtherApplicationsOrOtherOrigins_DoNotMakeABurst()
    {
        var mine = TestData.Link("LinkedIn", applicationId: Application);
        var alsoMine = TestData.Link("Calendly", applicationId: Application);
        var theirs = TestData.Link("Portfolio", applicationId: OtherApplication);
        await TestData.SaveLinksAsync(Database, mine, alsoMine, theirs);

        await Writer().WriteAsync(
            [
                Click(mine, "198.51.100.0/24", TestData.Now),
                Click(alsoMine, "203.0.113.0/24", TestData.Now.AddSeconds(1)),
                Click(theirs, "198.51.100.0/24", TestData.Now.AddSeconds(2)),
            ],
            CancellationToken.None);

        Assert.That((await StoredAsync()).Select(c => c.BotCategory), Is.All.EqualTo(BotCategory.Human));
    }

    [Test]
    public async Task AClickWrittenLater_CompletesABurstWithClicksWrittenEarlier()
    {
        var links = new[] { "LinkedIn", "Calendly", "Portfolio" }.Select(f => TestData.Link(f, applicationId: Application)).ToArray();
        await TestData.SaveLinksAsync(Database, links);
        var writer = Writer();
        await writer.WriteAsync([Click(links[0], "AS16509", TestData.Now), Click(links[1], "AS16509", TestData.Now.AddSeconds(1))], CancellationToken.None);
        var beforeTheThird = await StoredAsync();

        await writer.WriteAsync([Click(links[2], "AS16509", TestData.Now.AddSeconds(2))], CancellationToken.None);

        Assert.That(beforeTheThird.Select(c => c.BotCategory), Is.All.EqualTo(BotCategory.Human));
        Assert.That((await StoredAsync()).Select(c => c.BotCategory), Is.All.EqualTo(BotCategory.Scanner));
    }

    [Test]
    public async Task ABackfillSpreadOverMonths_FindsEachBurst_AndLeavesTheClicksBetweenThemAlone()
    {
        var links = new[] { "LinkedIn", "Calendly", "Portfolio" }.Select(f => TestData.Link(f, applicationId: Application)).ToArray();
        await TestData.SaveLinksAsync(Database, links);
        var early = TestData.Now.AddDays(-60);
        var late = TestData.Now;
        var lone = TestData.Now.AddDays(-30);
        // One batch, as a partner's backfill sends it: two bursts two months apart, an earlier click of the same origin
        // an hour before the late burst (outside every window), and a lone click between them.
        var batch = links.Select((l, i) => Click(l, "AS16509", early.AddSeconds(i)))
            .Concat(links.Select((l, i) => Click(l, "AS16509", late.AddSeconds(i))))
            .Append(Click(links[0], "AS16509", late.AddHours(-1)))
            .Append(Click(links[1], "AS16509", lone))
            .ToList();

        await Writer().WriteAsync(batch, CancellationToken.None);

        var stored = await StoredAsync();
        Assert.That(stored.Where(c => c.BotCategory == BotCategory.Scanner).Select(c => c.ClickedAt),
            Is.EqualTo(links.Select((_, i) => early.AddSeconds(i)).Concat(links.Select((_, i) => late.AddSeconds(i)))));
        Assert.That(stored.Where(c => c.BotCategory == BotCategory.Human).Select(c => c.ClickedAt), Is.EqualTo(new[] { lone, late.AddHours(-1) }));
    }

    [Test]
    public async Task ABurstThatAlsoHitTheDecoy_EarnsBothSignals()
    {
        var links = new[] { "LinkedIn", "Calendly", "Portfolio" }.Select(f => TestData.Link(f, applicationId: Application)).ToArray();
        var decoy = TestData.Link(LinkFunction.Decoy, applicationId: Application);
        await TestData.SaveLinksAsync(Database, [.. links, decoy]);

        await Writer().WriteAsync(
            [.. links.Select((l, i) => Click(l, "AS16509", TestData.Now.AddSeconds(i))), Click(decoy, "AS16509", TestData.Now.AddSeconds(3))],
            CancellationToken.None);

        var stored = await StoredAsync();
        Assert.That(stored.Take(3).Select(c => (c.BotCategory, c.Signals)), Is.All.EqualTo((BotCategory.Scanner, (string?)"decoy,burst")));
    }

    [Test]
    public async Task AClickWrittenAfterADecoyHit_OfTheSameApplicationAndOrigin_EarnsTheDecoySignal_AndNoOtherClickDoes()
    {
        var link = TestData.Link("LinkedIn", applicationId: Application);
        var decoy = TestData.Link(LinkFunction.Decoy, applicationId: Application);
        var theirs = TestData.Link("LinkedIn", applicationId: OtherApplication);
        await TestData.SaveLinksAsync(Database, link, decoy, theirs);
        var writer = Writer();
        await writer.WriteAsync([Click(decoy, "AS16509", TestData.Now)], CancellationToken.None);

        // Written later, so reclassified in a window of its own: only the decoy hit, stored before, makes it a scanner.
        await writer.WriteAsync(
            [
                Click(link, "AS16509", TestData.Now.AddMinutes(10)),
                Click(link, "203.0.113.0/24", TestData.Now.AddMinutes(11)),
                Click(theirs, "AS16509", TestData.Now.AddMinutes(12)),
                Click(link, "AS16509", TestData.Now.AddHours(2)),
            ],
            CancellationToken.None);

        var stored = (await StoredAsync()).Where(c => c.TrackingId != decoy.TrackingId).ToList();
        Assert.That(stored.Select(c => (c.ClickedAt, c.BotCategory, c.Signals)), Is.EqualTo(new[]
        {
            (TestData.Now.AddMinutes(10), BotCategory.Scanner, (string?)"decoy"),
            (TestData.Now.AddMinutes(11), BotCategory.Human, (string?)null),
            (TestData.Now.AddMinutes(12), BotCategory.Human, (string?)null),
            (TestData.Now.AddHours(2), BotCategory.Human, (string?)null),
        }));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    public async Task TheProvidersRules_FindWhatTheRulesFindInMemory_OnRandomTraffic(int seed)
    {
        // Two applications of four links (one a decoy), six origins, 600 clicks in clusters of up to 20 s every ten
        // minutes: bursts, decoy hits, and clicks just inside and outside every window.
        var random = new Random(seed);
        var links = new[] { Application, OtherApplication }
            .SelectMany(a => new[] { "LinkedIn", "Calendly", "Portfolio", LinkFunction.Decoy }.Select(f => TestData.Link(f, applicationId: a)))
            .ToArray();
        await TestData.SaveLinksAsync(Database, links);
        var origins = Enumerable.Range(0, 6).Select(i => $"198.51.{100 + i}.0/24").ToArray();
        var clicks = Enumerable.Range(0, 600).Select(_ =>
        {
            var link = random.Next(20) == 0 ? links[3 + (4 * random.Next(2))] : links[random.Next(links.Length)];
            var at = TestData.Now.AddMinutes(10 * random.Next(12)).AddMilliseconds(random.Next(20_000));
            return Click(link, origins[random.Next(origins.Length)], at);
        }).ToList();
        await TestData.RawWriter(Database).WriteAsync(clicks, CancellationToken.None);
        var options = new ClickClassificationOptions();
        var functionOf = links.ToDictionary(l => l.TrackingId.Value, l => (l.ApplicationId!.Value, l.LinkFunction));
        var expected = clicks
            .GroupBy(c => (functionOf[c.TrackingId.Value].Value, c.Origin))
            .SelectMany(g => AfterTheFactRules.Find(
                g.Select(c => new OriginClick(c.Id, c.TrackingId.Value, c.ClickedAt, LinkFunction.IsDecoy(functionOf[c.TrackingId.Value].LinkFunction))).ToList(),
                options))
            .GroupBy(f => f.Id)
            .ToDictionary(g => g.Key, g => string.Join(',', g.Select(f => f.Signal)));

        await using var db = Database.CreateContext();
        var found = await TestData.EarnedSignals(Database).FindAsync(db, ClickAnchors.Of(clicks.Select(c => c.Id).ToList()), options, CancellationToken.None);

        Assert.That(expected, Has.Count.GreaterThan(20), "the traffic has bursts and decoy hits to find");
        Assert.That(found.ToDictionary(f => f.Key, f => string.Join(',', f.Value)), Is.EquivalentTo(expected));
    }

    private static LinkClick Click(TrackedLink link, string origin, DateTime at) =>
        LinkClick.Record(new ClickDetails(link.TrackingId, at, IPAddress.Parse("198.51.100.7"), "Mozilla/5.0", null, null, ClickSource.Direct, null, null, null)
        {
            Origin = origin,
        });

    private ReclassifyingTestWriter Writer() => TestData.ReclassifyingWriter(Database);

    private async Task<List<LinkClick>> StoredAsync()
    {
        await using var db = Database.CreateContext();
        return await db.Clicks.AsNoTracking().OrderBy(c => c.ClickedAt).ToListAsync();
    }
}
