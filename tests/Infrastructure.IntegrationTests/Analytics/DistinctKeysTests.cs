using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Infrastructure.Analytics.Rollups;
using LinkTracking.Infrastructure.Privacy;
using LinkTracking.Tests.Shared;

namespace LinkTracking.Infrastructure.IntegrationTests.Analytics;

/// <summary>
/// Distinct sessions (ADR 0021): HyperLogLog estimates on PostgreSQL within the error the register count promises,
/// exact counts on SQLite; an erased person's session leaves the count on both.
/// </summary>
public sealed class DistinctKeysTests(TestProvider provider) : DatabaseFixture(provider)
{
    [Test]
    public async Task UniqueSessions_Of100000Sessions_AreWithinTwoPercentOfTheExactCount()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        var writer = TestData.RawWriter(Database);
        const int sessions = 100_000;
        foreach (var chunk in Enumerable.Range(0, sessions).Chunk(5_000))
        {
            // Each session clicks once, the first 1,000 twice more: clicks are not sessions.
            var clicks = chunk.SelectMany(i => Enumerable.Repeat(i, i < 1_000 ? 3 : 1))
                .Select((i, n) => TestData.Click(link, TestData.Now.AddMinutes(-(i % 600)).AddSeconds(-n % 60), session: $"session-{i:x8}"))
                .ToList();
            await writer.WriteAsync(clicks, CancellationToken.None);
        }

        await TestData.RollUpAsync(Database);

        await using var db = Database.CreateContext();
        var counted = await TestData.DistinctKeys(db).CountAsync(
            LinkScope.ForLink(link.TrackingId.Value), null, TestData.Now.AddDays(-1), RollupDimensions.SessionKind, includeBots: false, CancellationToken.None);
        TestContext.Out.WriteLine($"{Provider}: exact {sessions}, counted {counted} ({(counted - sessions) * 100.0 / sessions:+0.00;-0.00} %)");
        if (Provider == TestProvider.Postgres)
        {
            Assert.That(counted, Is.EqualTo(sessions).Within(2).Percent);
        }
        else
        {
            Assert.That(counted, Is.EqualTo(sessions));
        }
    }

    [Test]
    public async Task Erasure_TakesThePersonsSessionOutOfTheDistinctCounts()
    {
        var link = TestData.Link("Portfolio", jobId: Guid.NewGuid(), applicationId: Guid.NewGuid());
        await TestData.SaveLinksAsync(Database, link);
        await TestData.SaveClicksAsync(
            Database,
            TestData.Click(link, TestData.Now.AddHours(-2), session: "anna", ip: "203.0.113.1"),
            TestData.Click(link, TestData.Now.AddHours(-2), session: "ben", ip: "203.0.113.2"),
            TestData.Click(link, TestData.Now.AddHours(-1), session: "carl", ip: "203.0.113.3"));

        await using (var db = Database.CreateContext())
        {
            await new ClickPrivacyStore(db, TestData.Rollups(Database)).EraseAsync(new ClickErasureFilter(null, "ben", null, null), CancellationToken.None);
        }

        await TestData.RollUpAsync(Database);

        await using var check = Database.CreateContext();
        var keys = TestData.DistinctKeys(check);
        var since = TestData.Now.AddDays(-1);
        Assert.Multiple(async () =>
        {
            Assert.That(await keys.CountAsync(LinkScope.ForLink(link.TrackingId.Value), null, since, RollupDimensions.SessionKind, false, CancellationToken.None), Is.EqualTo(2));
            Assert.That(await keys.CountAsync(LinkScope.ForLink(link.TrackingId.Value), null, since, RollupDimensions.IpKind, false, CancellationToken.None), Is.EqualTo(2));
            Assert.That(await keys.CountAsync(LinkScope.ForApplication(link.ApplicationId!.Value), null, since, RollupDimensions.SessionKind, false, CancellationToken.None), Is.EqualTo(2));
            Assert.That(await keys.CountAsync(LinkScope.All, "Portfolio", null, RollupDimensions.SessionKind, false, CancellationToken.None), Is.EqualTo(2));
            Assert.That(await keys.CountAsync(LinkScope.All, null, null, RollupDimensions.SessionKind, false, CancellationToken.None), Is.EqualTo(2), "all links' months");
            Assert.That(await keys.CountAsync(LinkScope.All, null, since, RollupDimensions.SessionKind, false, CancellationToken.None), Is.EqualTo(2), "all links' days");
            Assert.That(await keys.CountAsync(LinkScope.ForJob(link.JobId!.Value), null, null, RollupDimensions.SessionKind, false, CancellationToken.None), Is.EqualTo(2), "the job's months");
            Assert.That(await keys.CountAsync(LinkScope.ForJob(link.JobId!.Value), "Portfolio", null, RollupDimensions.SessionKind, false, CancellationToken.None), Is.EqualTo(2), "the job's months per function");
        });
    }
}
