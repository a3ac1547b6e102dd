using System.Net;
using LinkTracking.Domain.Clicks;
using LinkTracking.Infrastructure.Clicks;
using LinkTracking.Tests.Shared;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.IntegrationTests.Clicks;

public sealed class ClickBatchWriterTests(TestProvider provider) : DatabaseFixture(provider)
{
    [Test]
    public async Task Write_StoresEveryFieldSoThatEfCoreReadsItBack()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        var at = new DateTime(2025, 7, 26, 9, 30, 15, 123, DateTimeKind.Utc).AddTicks(4560);
        var click = LinkClick.Record(new ClickDetails(
            link.TrackingId, at, IPAddress.Parse("2001:db8:85a3::8a2e:370:7334"), "Mozilla/5.0", "https://mail.google.com/",
            "session-1", ClickSource.Email, """{"utm_source":"mail"}""", "event-1", null));

        await TestData.SaveClicksAsync(Database, click);

        await using var db = Database.CreateContext();
        var read = await db.Clicks.AsNoTracking().SingleAsync();
        Assert.Multiple(() =>
        {
            Assert.That(read.Id, Is.EqualTo(click.Id));
            Assert.That(read.TrackingId, Is.EqualTo(link.TrackingId));
            Assert.That(read.ClickedAt, Is.EqualTo(at));
            Assert.That(read.IpAddress, Is.EqualTo(IPAddress.Parse("2001:db8:85a3::8a2e:370:7334")));
            Assert.That(read.UserAgent, Is.EqualTo("Mozilla/5.0"));
            Assert.That(read.ReferrerUrl, Is.EqualTo("https://mail.google.com/"));
            Assert.That(read.SessionId, Is.EqualTo("session-1"));
            Assert.That(read.ClickSource, Is.EqualTo(ClickSource.Email));
            Assert.That(read.Metadata?.Replace(" ", "", StringComparison.Ordinal), Is.EqualTo("""{"utm_source":"mail"}"""));
            Assert.That(read.EventId, Is.EqualTo("event-1"));
            Assert.That(read.IsBot, Is.False);
        });
    }

    [Test]
    public async Task Write_ClickTimesCompareCorrectlyWithEfCoreQueries()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        await TestData.SaveClicksAsync(Database,
            TestData.Click(link, at: TestData.Now.AddSeconds(-1)),
            TestData.Click(link, at: TestData.Now),
            TestData.Click(link, at: TestData.Now.AddMilliseconds(500)));

        await using var db = Database.CreateContext();
        var notBefore = await db.Clicks.CountAsync(c => c.ClickedAt >= TestData.Now);

        Assert.That(notBefore, Is.EqualTo(2));
    }

    [Test]
    public async Task Write_SameClickTwice_StoresItOnce()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        var click = TestData.Click(link);
        var writer = TestData.Writer(Database);

        await writer.WriteAsync([click, click], CancellationToken.None);
        await writer.WriteAsync([click], CancellationToken.None);

        Assert.That(await TestData.CountClicksAsync(Database), Is.EqualTo(1));
    }

    [Test]
    public async Task Write_SameEventIdOnSameLink_StoresOnce_ButOnOtherLinkStoresAgain()
    {
        var first = TestData.Link();
        var second = TestData.Link();
        await TestData.SaveLinksAsync(Database, first, second);

        await TestData.SaveClicksAsync(Database, TestData.Click(first, eventId: "e-1"));
        await TestData.SaveClicksAsync(Database, TestData.Click(first, eventId: "e-1", at: TestData.Now.AddMinutes(1)));
        await TestData.SaveClicksAsync(Database, TestData.Click(second, eventId: "e-1"));

        Assert.That(await TestData.CountClicksAsync(Database), Is.EqualTo(2));
    }

    [Test]
    public async Task Write_LargeBatch_StoresEveryField()
    {
        // On PostgreSQL a batch this large takes the binary COPY path rather than the INSERT.
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        var detailed = LinkClick.Record(new ClickDetails(
            link.TrackingId, TestData.Now, IPAddress.Parse("203.0.113.9"), "Mozilla/5.0", "https://www.linkedin.com/feed/",
            "session-2", ClickSource.LinkedIn, """{"utm_medium":"social"}""", "event-2", ClickClassification.Bot(BotCategory.Preview, ClickSignals.AgentList, ClickSignals.DatacenterNetwork)));
        var batch = Enumerable.Range(1, PostgresClickBatchWriter.CopyThreshold)
            .Select(i => TestData.Click(link, at: TestData.Now.AddMilliseconds(-i)))
            .Append(detailed)
            .ToList();

        await TestData.Writer(Database).WriteAsync(batch, CancellationToken.None);

        await using var db = Database.CreateContext();
        var read = await db.Clicks.AsNoTracking().SingleAsync(c => c.Id == detailed.Id);
        Assert.Multiple(async () =>
        {
            Assert.That(await db.Clicks.CountAsync(), Is.EqualTo(batch.Count));
            Assert.That(read.ClickedAt, Is.EqualTo(TestData.Now));
            Assert.That(read.IpAddress, Is.EqualTo(IPAddress.Parse("203.0.113.9")));
            Assert.That(read.UserAgent, Is.EqualTo("Mozilla/5.0"));
            Assert.That(read.ReferrerUrl, Is.EqualTo("https://www.linkedin.com/feed/"));
            Assert.That(read.SessionId, Is.EqualTo("session-2"));
            Assert.That(read.ClickSource, Is.EqualTo(ClickSource.LinkedIn));
            Assert.That(read.Metadata?.Replace(" ", "", StringComparison.Ordinal), Is.EqualTo("""{"utm_medium":"social"}"""));
            Assert.That(read.EventId, Is.EqualTo("event-2"));
            Assert.That(read.IsBot, Is.True);
            Assert.That(read.BotReason, Is.EqualTo(ClickSignals.AgentList));
            Assert.That(read.BotCategory, Is.EqualTo(BotCategory.Preview));
            Assert.That(read.Signals, Is.EqualTo("agent_list,datacenter_network"));
        });
    }

    [Test]
    public async Task Write_LargeBatchHoldingClicksAlreadyStored_StoresEveryClickOnce()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        var batch = Enumerable.Range(0, PostgresClickBatchWriter.CopyThreshold + 50)
            .Select(i => TestData.Click(link, at: TestData.Now.AddMilliseconds(-i)))
            .ToList();
        var writer = TestData.Writer(Database);
        await writer.WriteAsync(batch[..10], CancellationToken.None);

        await writer.WriteAsync(batch, CancellationToken.None);
        await writer.WriteAsync(batch, CancellationToken.None);

        Assert.That(await TestData.CountClicksAsync(Database), Is.EqualTo(batch.Count));
    }

    [Test]
    public async Task Write_EmptyBatch_IsAValidProbe()
    {
        var writer = TestData.Writer(Database);

        Assert.That(async () => await writer.WriteAsync([], CancellationToken.None), Throws.Nothing);
    }
}
