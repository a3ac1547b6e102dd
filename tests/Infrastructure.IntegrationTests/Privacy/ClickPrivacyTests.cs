using System.Net;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Options;
using LinkTracking.Infrastructure.Privacy;
using LinkTracking.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LinkTracking.Infrastructure.IntegrationTests.Privacy;

/// <summary>IP anonymisation and GDPR erasure on both providers.</summary>
public sealed class ClickPrivacyTests(TestProvider provider) : DatabaseFixture(provider)
{
    [Test]
    public async Task Anonymisation_ZeroesHostPartsOfOldClicksOnly_AndASecondRunChangesNothing()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        var old = TestData.Now.AddDays(-91);
        await TestData.SaveClicksAsync(Database,
            TestData.Click(link, at: old, ip: "203.0.113.77"),
            TestData.Click(link, at: old.AddSeconds(1), ip: "2001:db8:85a3:1234:5678::1"),
            TestData.Click(link, at: old.AddSeconds(2)),
            TestData.Click(link, at: TestData.Now.AddDays(-89), ip: "198.51.100.9"));
        var time = new FakeTimeProvider(new DateTimeOffset(TestData.Now));
        var job = Job(time);

        var first = await job.RunOnceAsync(CancellationToken.None);
        var second = await job.RunOnceAsync(CancellationToken.None);

        await using var db = Database.CreateContext();
        var ips = await db.Clicks.OrderBy(c => c.ClickedAt).Select(c => c.IpAddress).ToListAsync();
        Assert.That(first, Is.EqualTo(2));
        Assert.That(second, Is.Zero);
        Assert.That(ips, Is.EqualTo(new IPAddress?[]
        {
            IPAddress.Parse("203.0.113.0"), IPAddress.Parse("2001:db8:85a3::"), null, IPAddress.Parse("198.51.100.9"),
        }));
    }

    [Test]
    public async Task Anonymisation_FollowsTheClock_ClicksBecomeOldAsTimePasses()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        await TestData.SaveClicksAsync(Database, TestData.Click(link, at: TestData.Now.AddDays(-89), ip: "198.51.100.9"));
        var time = new FakeTimeProvider(new DateTimeOffset(TestData.Now));
        var job = Job(time);

        var today = await job.RunOnceAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromDays(2));
        var later = await job.RunOnceAsync(CancellationToken.None);

        Assert.That(today, Is.Zero);
        Assert.That(later, Is.EqualTo(1));
    }

    [Test]
    public async Task Anonymisation_WorksThroughMoreThanOneBatch()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        var old = TestData.Now.AddDays(-100);
        await TestData.SaveClicksAsync(Database, Enumerable.Range(0, IpAnonymisationJob.BatchSize + 5)
            .Select(i => TestData.Click(link, at: old.AddSeconds(i), ip: $"10.0.{i % 250}.{1 + (i % 200)}"))
            .ToArray());

        var changed = await Job(new FakeTimeProvider(new DateTimeOffset(TestData.Now))).RunOnceAsync(CancellationToken.None);

        await using var db = Database.CreateContext();
        var full = (await db.Clicks.Select(c => c.IpAddress).ToListAsync()).Count(ip => ip!.GetAddressBytes()[3] != 0);
        Assert.That(changed, Is.EqualTo(IpAnonymisationJob.BatchSize + 5));
        Assert.That(full, Is.Zero);
    }

    [Test]
    public async Task Erase_DeletesOnlyClicksMatchingEveryFilter()
    {
        var applicationId = Guid.NewGuid();
        var mine = TestData.Link(applicationId: applicationId);
        var other = TestData.Link(applicationId: Guid.NewGuid());
        await TestData.SaveLinksAsync(Database, mine, other);
        await TestData.SaveClicksAsync(Database,
            TestData.Click(mine, session: "s1", ip: "203.0.113.5"),
            TestData.Click(mine, session: "s2", ip: "203.0.113.5", at: TestData.Now.AddSeconds(1)),
            TestData.Click(other, session: "s1", ip: "203.0.113.5", at: TestData.Now.AddSeconds(2)));
        await using var db = Database.CreateContext();
        var store = new ClickPrivacyStore(db, TestData.Rollups(Database));

        var bySessionInApplication = await store.EraseAsync(new ClickErasureFilter(null, "s1", applicationId, null), CancellationToken.None);
        var byIp = await store.EraseAsync(new ClickErasureFilter(IPAddress.Parse("203.0.113.5"), null, null, null), CancellationToken.None);

        Assert.That(bySessionInApplication, Is.EqualTo(1));
        Assert.That(byIp, Is.EqualTo(2));
        Assert.That(await TestData.CountClicksAsync(Database), Is.Zero);
    }

    private IpAnonymisationJob Job(TimeProvider time)
    {
        var services = new ServiceCollection();
        services.AddScoped<LinkTracking.Infrastructure.Persistence.LinkTrackingDbContext>(_ => Database.CreateContext());
        services.AddScoped<IClickPrivacyStore>(sp => new ClickPrivacyStore(sp.GetRequiredService<LinkTracking.Infrastructure.Persistence.LinkTrackingDbContext>(), TestData.Rollups(Database)));
        var provider = services.BuildServiceProvider();
        return new IpAnonymisationJob(
            provider.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new PrivacyOptions { IpRetentionDays = 90 }),
            time,
            NullLogger<IpAnonymisationJob>.Instance);
    }
}
