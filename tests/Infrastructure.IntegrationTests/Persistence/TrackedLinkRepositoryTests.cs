using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Persistence.Repositories;
using LinkTracking.Tests.Shared;

namespace LinkTracking.Infrastructure.IntegrationTests.Persistence;

public sealed class TrackedLinkRepositoryTests(TestProvider provider) : DatabaseFixture(provider)
{
    [Test]
    public async Task Add_ThenGetByTrackingId_ReturnsTheSameLink()
    {
        var jobId = Guid.NewGuid();
        var link = TrackedLink.Create(TrackingId.NewId(), TargetUrl.Create("https://bücher.example/path?q=1"), "Portfolio", LinkType.Profile, jobId, Guid.NewGuid(), "desc", "me", TestData.Now);
        await using (var db = Database.CreateContext())
        {
            new TrackedLinkRepository(db, TestData.Reads(db)).Add(link);
            await db.SaveChangesAsync();
        }

        await using var readDb = Database.CreateContext();
        var read = await new TrackedLinkRepository(readDb, TestData.Reads(readDb)).GetByTrackingIdAsync(link.TrackingId.Value, CancellationToken.None);

        Assert.That(read, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(read!.Id, Is.EqualTo(link.Id));
            Assert.That(read.OriginalUrl.Value, Is.EqualTo("https://xn--bcher-kva.example/path?q=1"));
            Assert.That(read.LinkFunction, Is.EqualTo("Portfolio"));
            Assert.That(read.LinkType, Is.EqualTo(LinkType.Profile));
            Assert.That(read.JobId, Is.EqualTo(jobId));
            Assert.That(read.CreatedAt, Is.EqualTo(TestData.Now));
            Assert.That(read.CreatedAt.Kind, Is.EqualTo(DateTimeKind.Utc));
            Assert.That(read.IsActive, Is.True);
        });
    }

    [Test]
    public async Task TrackingIdExists_IsTrueOnlyForStoredIds()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        await using var db = Database.CreateContext();
        var repository = new TrackedLinkRepository(db, TestData.Reads(db));

        var stored = await repository.TrackingIdExistsAsync(link.TrackingId.Value, CancellationToken.None);
        var other = await repository.TrackingIdExistsAsync(TrackingId.NewId().Value, CancellationToken.None);

        Assert.That(stored, Is.True);
        Assert.That(other, Is.False);
    }

    [Test]
    public async Task FindTarget_ReflectsDeactivation()
    {
        var link = TestData.Link(url: "https://example.com/a");
        link.Deactivate(TestData.Now);
        await TestData.SaveLinksAsync(Database, link);
        await using var db = Database.CreateContext();

        var target = await new TrackedLinkRepository(db, TestData.Reads(db)).FindTargetAsync(link.TrackingId, CancellationToken.None);
        var missing = await new TrackedLinkRepository(db, TestData.Reads(db)).FindTargetAsync(TrackingId.Parse("lt_doesnotexist1"), CancellationToken.None);

        Assert.That(target, Is.EqualTo(new LinkTracking.Application.Common.Models.LinkTarget(link.TrackingId.Value, "https://example.com/a", false)));
        Assert.That(missing, Is.Null);
    }

    [Test]
    public async Task List_FiltersPagesAndOrdersNewestFirst()
    {
        var jobId = Guid.NewGuid();
        var links = Enumerable.Range(0, 5)
            .Select(i => TestData.Link(function: i % 2 == 0 ? "LinkedIn" : "GitHub", jobId: jobId, createdAt: TestData.Now.AddMinutes(i)))
            .Append(TestData.Link(jobId: Guid.NewGuid()))
            .ToArray();
        links[4].Deactivate(TestData.Now);
        await TestData.SaveLinksAsync(Database, links);
        await using var db = Database.CreateContext();
        var repository = new TrackedLinkRepository(db, TestData.Reads(db));

        var (page1, total) = await repository.ListAsync(new LinkFilter(jobId, null, null, null), 1, 2, CancellationToken.None);
        var (page3, _) = await repository.ListAsync(new LinkFilter(jobId, null, null, null), 3, 2, CancellationToken.None);
        var (linkedInActive, activeTotal) = await repository.ListAsync(new LinkFilter(jobId, null, "LinkedIn", true), 1, 10, CancellationToken.None);

        Assert.That(total, Is.EqualTo(5));
        Assert.That(page1.Select(l => l.TrackingId), Is.EqualTo(new[] { links[4].TrackingId, links[3].TrackingId }));
        Assert.That(page3.Select(l => l.TrackingId), Is.EqualTo(new[] { links[0].TrackingId }));
        Assert.That(activeTotal, Is.EqualTo(2));
        Assert.That(linkedInActive.Select(l => l.TrackingId), Is.EqualTo(new[] { links[2].TrackingId, links[0].TrackingId }));
    }

    [Test]
    public async Task ListByApplication_ReturnsOnlyThatApplicationsLinks()
    {
        var applicationId = Guid.NewGuid();
        var mine = TestData.Link(applicationId: applicationId);
        await TestData.SaveLinksAsync(Database, mine, TestData.Link(applicationId: Guid.NewGuid()), TestData.Link());
        await using var db = Database.CreateContext();

        var links = await new TrackedLinkRepository(db, TestData.Reads(db)).ListByApplicationAsync(applicationId, CancellationToken.None);

        Assert.That(links.Select(l => l.TrackingId), Is.EqualTo(new[] { mine.TrackingId }));
    }
}
