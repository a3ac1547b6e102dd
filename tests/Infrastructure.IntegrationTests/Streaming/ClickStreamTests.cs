using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Streaming;
using LinkTracking.Tests.Shared;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.IntegrationTests.Streaming;

/// <summary>
/// Clicks streamed to NATS JetStream (ADR 0024), on both providers against a real <c>nats-server -js</c>: what a
/// consumer of <c>linktracking.clicks.&gt;</c> receives — subjects, ids, schema, order per link — across a replay, a
/// reclassification and a server killed in the middle of a batch.
/// </summary>
[NonParallelizable]
public sealed class ClickStreamTests(TestProvider provider) : DatabaseFixture(provider)
{
    private static readonly Guid Application = Guid.Parse("0a0a0a0a-5555-4b4b-8b8b-000000000005");
    private string _url = null!;

    [SetUp]
    public async Task FreshStream()
    {
        _url = StreamKit.UrlOrIgnore();
        await StreamKit.DeleteStreamAsync(_url, new NatsStreamOptions().Stream);
    }

    [Test]
    public async Task StoredClicks_ArePublishedOnTheirCategorysSubject_WithTheClickIdAsMsgId_InTheDocumentedSchema()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        var human = TestData.Click(link, ip: "203.0.113.9", userAgent: "Mozilla/5.0", session: "s-1");
        var preview = TestData.Click(link, at: TestData.Now.AddSeconds(1), classification: new ClickClassification(BotCategory.Preview, ["ua_list"]));
        await TestData.SaveClicksAsync(Database, human, preview);
        await using var kit = new StreamKit(Database, _url);

        await kit.PublishAllAsync();

        var received = await StreamKit.ReadStreamAsync(_url, kit.Options.Stream);
        Assert.That(received.Select(r => (r.Subject, r.MsgId)), Is.EqualTo(new[]
        {
            ("linktracking.clicks.human", human.Id.ToString()),
            ("linktracking.clicks.preview", preview.Id.ToString()),
        }));
        var body = received[0].Body;
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("schema_version").GetInt32(), Is.EqualTo(1));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("click.stored"));
            Assert.That(body.GetProperty("seq").GetInt64(), Is.Positive);
            Assert.That(body.GetProperty("click_id").GetString(), Is.EqualTo(human.Id.ToString()));
            Assert.That(body.GetProperty("tracking_id").GetString(), Is.EqualTo(link.TrackingId.Value));
            Assert.That(body.GetProperty("clicked_at").GetString(), Is.EqualTo("2025-07-27T15:00:00Z"));
            Assert.That(body.GetProperty("bot_category").GetString(), Is.EqualTo("human"));
            Assert.That(body.GetProperty("ip_partial").GetString(), Is.EqualTo("203.0.113.*"), "the address masked as everywhere else");
            Assert.That(body.GetProperty("session_id").GetString(), Is.EqualTo("s-1"));
            Assert.That(body.GetProperty("previous_bot_category").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
            Assert.That(received[1].Body.GetProperty("signals").EnumerateArray().Select(s => s.GetString()), Is.EqualTo(new[] { "ua_list" }));
        });
    }

    [Test]
    public async Task ClicksNotYetCountedByTheRollups_WaitForTheWatermark()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        await TestData.RawWriter(Database).WriteAsync([TestData.Click(link)], CancellationToken.None);
        await using var kit = new StreamKit(Database, _url);

        await kit.PublishAllAsync();
        var before = await StreamKit.ReadStreamAsync(_url, kit.Options.Stream);
        await TestData.RollUpAsync(Database);
        await kit.PublishAllAsync();

        Assert.That(before, Is.Empty);
        Assert.That(await StreamKit.ReadStreamAsync(_url, kit.Options.Stream), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task ClicksOfALink_ArriveInTheOrderTheyWereStored_AcrossBatchesAndLinks()
    {
        var links = new[] { TestData.Link("LinkedIn"), TestData.Link("Calendly") };
        await TestData.SaveLinksAsync(Database, links);
        var written = new List<LinkClick>();
        for (var batch = 0; batch < 4; batch++)
        {
            // Later batches carry earlier click times: the stream follows the order of storing, not clicked_at.
            var clicks = Enumerable.Range(0, 5).Select(i => TestData.Click(links[i % 2], at: TestData.Now.AddMinutes(-batch).AddSeconds(i))).ToList();
            await TestData.SaveClicksAsync(Database, [.. clicks]);
            written.AddRange(clicks);
        }

        await using var kit = new StreamKit(Database, _url, batchSize: 3);

        await kit.PublishAllAsync();

        var received = await StreamKit.ReadStreamAsync(_url, kit.Options.Stream);
        foreach (var link in links)
        {
            Assert.That(received.Where(r => r.TrackingId == link.TrackingId.Value).Select(r => r.ClickId),
                Is.EqualTo(written.Where(c => c.TrackingId == link.TrackingId).Select(c => c.Id.ToString())), link.TrackingId.Value);
        }

        Assert.That(received.Select(r => r.Body.GetProperty("seq").GetInt64()), Is.Ordered.Ascending);
    }

    [Test]
    public async Task AReplayFromAnEarlierCursor_PublishesAgain_AndTheStreamKeepsEachClickOnce()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        await TestData.SaveClicksAsync(Database, [.. Enumerable.Range(0, 8).Select(i => TestData.Click(link, at: TestData.Now.AddSeconds(i)))]);
        var counting = new CountingSink();
        await using var kit = new StreamKit(Database, _url, wrapSink: counting.Around);
        await kit.PublishAllAsync();
        var first = await StreamKit.ReadStreamAsync(_url, kit.Options.Stream);

        await using (var db = Database.CreateContext())
        {
            await ClickStreamPublisher.ReplayFromAsync(db, kit.Nats.Name, 0, CancellationToken.None);
        }

        await kit.PublishAllAsync();

        Assert.That(counting.Published, Is.EqualTo(16), "every click handed to JetStream twice");
        var after = await StreamKit.ReadStreamAsync(_url, kit.Options.Stream);
        Assert.That(after.Select(r => r.MsgId), Is.EqualTo(first.Select(r => r.MsgId)), "within the duplicate window, stored once");
        Assert.That(after.Select(r => r.MsgId), Is.Unique);
    }

    [Test]
    public async Task TwoNodes_OnlyTheHolderOfTheLeasePublishes_SoEachClickIsHandedOverOnce()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        var (a, b) = (new CountingSink(), new CountingSink());
        await using var nodeA = new StreamKit(Database, _url, wrapSink: a.Around);
        await using var nodeB = new StreamKit(Database, _url, wrapSink: b.Around);
        await TestData.SaveClicksAsync(Database, [.. Enumerable.Range(0, 5).Select(i => TestData.Click(link, at: TestData.Now.AddSeconds(i)))]);

        await nodeA.PublishAllAsync();
        await nodeB.PublishAllAsync();
        await TestData.SaveClicksAsync(Database, [.. Enumerable.Range(5, 3).Select(i => TestData.Click(link, at: TestData.Now.AddSeconds(i)))]);
        await nodeB.PublishAllAsync();
        await nodeA.PublishAllAsync();

        Assert.That((a.Published, b.Published), Is.EqualTo((8, 0)), "node B waits while node A's lease runs");
        Assert.That((await StreamKit.ReadStreamAsync(_url, nodeA.Options.Stream)).Select(r => r.MsgId).ToList(), Has.Count.EqualTo(8).And.Unique);
    }

    [Test]
    public async Task AReclassification_IsPublishedAfterItsClick_OnTheNewCategorysSubject_WithADistinctMsgId()
    {
        var links = new[] { "LinkedIn", "Calendly", "Portfolio" }.Select(f => TestData.Link(f, applicationId: Application)).ToArray();
        await TestData.SaveLinksAsync(Database, links);
        await using var kit = new StreamKit(Database, _url);
        var early = links.Take(2).Select((l, i) => Burst(l, i)).ToList();
        await TestData.SaveClicksAsync(Database, [.. early]);
        await kit.PublishAllAsync();

        // The third click of the origin within seconds makes a burst: all three become scanner's.
        var third = Burst(links[2], 2);
        await TestData.SaveClicksAsync(Database, third);
        await kit.Reclassifier.ReclassifyAroundAsync([third], CancellationToken.None);
        await kit.PublishAllAsync();

        var received = await StreamKit.ReadStreamAsync(_url, kit.Options.Stream);
        var reclassified = received.Where(r => r.Type == "click.reclassified").ToList();
        Assert.That(reclassified.Select(r => r.ClickId), Is.EquivalentTo(early.Append(third).Select(c => c.Id.ToString())));
        Assert.Multiple(() =>
        {
            Assert.That(reclassified.Select(r => r.Subject), Is.All.EqualTo("linktracking.clicks.scanner"));
            Assert.That(reclassified.Select(r => r.Body.GetProperty("previous_bot_category").GetString()), Is.All.EqualTo("human"));
            Assert.That(reclassified.Select(r => r.Body.GetProperty("signals")[0].GetString()), Is.All.EqualTo("burst"));
            Assert.That(received.Select(r => r.MsgId), Is.Unique);
        });
        foreach (var click in reclassified)
        {
            var stored = received.FindIndex(r => r.Type == "click.stored" && r.ClickId == click.ClickId);
            Assert.That(stored, Is.GreaterThanOrEqualTo(0).And.LessThan(received.IndexOf(click)), "the click before its reclassification");
            Assert.That(click.MsgId, Does.StartWith(click.ClickId + ":r"));
        }

        await using var db = Database.CreateContext();
        Assert.That(await db.ClickStreamOutbox.CountAsync(), Is.Zero, "published reclassifications leave the outbox");
    }

    [Test]
    public async Task NatsKilledInTheMiddleOfABatch_ClicksStoredMeanwhile_AreAllStreamedAfterItsReturn_EachOnce()
    {
        using var server = await PrivateNatsServer.StartOrIgnoreAsync();
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        var clicks = Enumerable.Range(0, 10).Select(i => TestData.Click(link, at: TestData.Now.AddSeconds(i))).ToList();
        await TestData.SaveClicksAsync(Database, [.. clicks]);
        // The server dies after the 7th message of the 10-click batch has been acknowledged: the cursor stays before it.
        var killer = new CountingSink(afterEach: n => { if (n == 7) { server.Kill(); } });
        await using var kit = new StreamKit(Database, server.Url, batchSize: 10, wrapSink: killer.Around);

        Assert.That(async () => await kit.Publisher.PublishRoundAsync(CancellationToken.None), Throws.Exception);
        // The outage blocks nothing: clicks are stored and counted meanwhile, and rounds fail without waiting.
        var during = Enumerable.Range(10, 5).Select(i => TestData.Click(link, at: TestData.Now.AddSeconds(i))).ToList();
        await TestData.SaveClicksAsync(Database, [.. during]);
        Assert.That(async () => await kit.Publisher.PublishRoundAsync(CancellationToken.None), Throws.Exception);
        await server.StartAsync();
        await PublishUntilReconnectedAsync(kit);

        var received = await StreamKit.ReadStreamAsync(server.Url, kit.Options.Stream);
        Assert.That(received.Select(r => r.ClickId), Is.EqualTo(clicks.Concat(during).Select(c => c.Id.ToString())), "nothing lost, nothing twice, in order");
        Assert.That(killer.Published, Is.GreaterThan(15), "the 7 acknowledged before the outage were handed over again");
    }

    private static LinkClick Burst(TrackedLink link, int second) =>
        LinkClick.Record(new ClickDetails(link.TrackingId, TestData.Now.AddSeconds(second), System.Net.IPAddress.Parse("198.51.100.7"), "Mozilla/5.0", null, null, ClickSource.Direct, null, null, null)
        {
            Origin = "AS16509",
        });

    /// <summary>Rounds until the client has reconnected and the publisher has caught up (the client retries with a back-off).</summary>
    private static async Task PublishUntilReconnectedAsync(StreamKit kit)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await kit.PublishAllAsync();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Counts the messages handed to the sink (and may act after each).</summary>
    private sealed class CountingSink(Action<int>? afterEach = null)
    {
        private readonly Action<int>? _afterEach = afterEach;
        private int _published;

        public int Published => _published;

        public IClickStreamSink Around(IClickStreamSink inner) => new Sink(inner, this);

        private sealed class Sink(IClickStreamSink inner, CountingSink owner) : IClickStreamSink
        {
            public string Name => inner.Name;

            public Task EnsureReadyAsync(CancellationToken cancellationToken) => inner.EnsureReadyAsync(cancellationToken);

            public async Task PublishAsync(ClickStreamMessage message, CancellationToken cancellationToken)
            {
                await inner.PublishAsync(message, cancellationToken);
                var published = Interlocked.Increment(ref owner._published);
                owner._afterEach?.Invoke(published);
            }
        }
    }
}
