using System.Net;
using LinkTracking.Domain.Clicks;
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
    public async Task Write_EmptyBatch_IsAValidProbe()
    {
        var writer = TestData.Writer(Database);

        Assert.That(async () => await writer.WriteAsync([], CancellationToken.None), Throws.Nothing);
    }
}
