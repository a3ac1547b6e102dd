using System.Net;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
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

    /// <summary>
    /// Each provider's anonymiser gives exactly <see cref="IpAddresses.Anonymise"/>, including for the IPv4-mapped
    /// addresses stored before addresses were normalised on the way in (PostgreSQL's <c>set_masklen</c> made those
    /// <c>::</c>, SQLite's rule made them the IPv4 /24).
    /// </summary>
    [TestCase("203.0.113.77")]
    [TestCase("198.51.100.0")]
    [TestCase("2001:db8:85a3:1234:5678::1")]
    [TestCase("2001:db8:85a3::")]
    [TestCase("::1")]
    [TestCase("::ffff:203.0.113.7")]
    [TestCase("::ffff:198.51.100.0")]
    [TestCase("::ffff:0.0.0.1")]
    [TestCase("::ffff:255.255.255.255")]
    [TestCase("::fffe:203.0.113.7")]
    public async Task Anonymisation_OfAStoredAddress_EqualsTheDomainRule(string stored)
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        await TestData.SaveClicksAsync(Database, TestData.Click(link, at: TestData.Now.AddDays(-91), session: "old", ip: "192.0.2.1"));
        await StoreAsGivenAsync("old", stored);

        var changed = await Job(new FakeTimeProvider(new DateTimeOffset(TestData.Now))).RunOnceAsync(CancellationToken.None);

        await using var check = Database.CreateContext();
        var anonymised = await check.Clicks.Select(c => c.IpAddress).SingleAsync();
        var expected = IpAddresses.Anonymise(IPAddress.Parse(stored));
        Assert.That(anonymised, Is.EqualTo(expected));
        Assert.That(changed, Is.EqualTo(expected.Equals(IPAddress.Parse(stored)) ? 0 : 1));
    }

    [Test]
    public async Task Erase_ByAnIpv4Address_AlsoErasesClicksStoredWithItsMappedForm()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        await TestData.SaveClicksAsync(Database,
            TestData.Click(link, session: "mapped", ip: "192.0.2.1"),
            TestData.Click(link, session: "plain", ip: "203.0.113.7", at: TestData.Now.AddSeconds(1)),
            TestData.Click(link, session: "other", ip: "203.0.113.8", at: TestData.Now.AddSeconds(2)));
        await StoreAsGivenAsync("mapped", "::ffff:203.0.113.7");
        await using var db = Database.CreateContext();
        var store = new ClickPrivacyStore(db, TestData.Rollups(Database));

        var erased = await store.EraseAsync(new ClickErasureFilter(IPAddress.Parse("::ffff:203.0.113.7"), null, null, null), CancellationToken.None);

        Assert.That(erased, Is.EqualTo(2));
        Assert.That(await TestData.CountClicksAsync(Database), Is.EqualTo(1));
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

    /// <summary>Writes an address as given, as a partner's was stored before addresses were normalised on the way in.</summary>
    private async Task StoreAsGivenAsync(string session, string address)
    {
        await using var db = Database.CreateContext();
        var updated = Provider == TestProvider.Postgres
            ? await db.Database.ExecuteSqlAsync($"UPDATE link_clicks SET ip_address = CAST({address} AS inet) WHERE session_id = {session}")
            : await db.Database.ExecuteSqlAsync($"UPDATE link_clicks SET ip_address = {address} WHERE session_id = {session}");
        Assert.That(updated, Is.EqualTo(1));
    }

    private IpAnonymisationJob Job(TimeProvider time)
    {
        var services = new ServiceCollection();
        services.AddScoped<LinkTracking.Infrastructure.Persistence.LinkTrackingDbContext>(_ => Database.CreateContext());
        services.AddScoped(sp => TestData.IpAnonymiser(sp.GetRequiredService<LinkTracking.Infrastructure.Persistence.LinkTrackingDbContext>(), Database));
        var provider = services.BuildServiceProvider();
        return new IpAnonymisationJob(
            provider.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new PrivacyOptions { IpRetentionDays = 90 }),
            time,
            NullLogger<IpAnonymisationJob>.Instance);
    }
}
