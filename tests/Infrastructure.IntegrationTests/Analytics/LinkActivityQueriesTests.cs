using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Analytics;
using LinkTracking.Tests.Shared;

namespace LinkTracking.Infrastructure.IntegrationTests.Analytics;

/// <summary>The dashboard's browsing lists on a known data set, on both providers.</summary>
public sealed class LinkActivityQueriesTests(TestProvider provider) : DatabaseFixture(provider)
{
    private static readonly Guid JobA = Guid.Parse("11111111-1111-1111-1111-111111111111");
    private static readonly Guid JobB = Guid.Parse("22222222-2222-2222-2222-222222222222");
    private static readonly Guid AppOld = Guid.Parse("33333333-3333-3333-3333-333333333333");
    private static readonly Guid AppNew = Guid.Parse("44444444-4444-4444-4444-444444444444");
    private static readonly Guid AppQuiet = Guid.Parse("55555555-5555-5555-5555-555555555555");
    private static readonly DateTime Today = TestData.Now.Date;

    private static readonly ClickClassification Scanner = ClickClassification.Bot(BotCategory.Scanner, ClickSignals.HeadRequest);
    private static readonly ClickClassification Crawler = ClickClassification.Bot(BotCategory.Crawler, ClickSignals.HeadRequest);

    [SetUp]
    public async Task Seed()
    {
        // JobA: AppOld (clicked first 20 days ago, again today), AppNew (first human click yesterday; a scanner
        // 10 days ago does not count). JobB: AppQuiet, never clicked by a person. A decoy of AppNew is left out.
        var oldLinkedIn = TestData.Link("LinkedIn", JobA, AppOld, createdAt: TestData.Now.AddDays(-30));
        var oldGitHub = TestData.Link("GitHub", JobA, AppOld, createdAt: TestData.Now.AddDays(-30));
        var newLinkedIn = TestData.Link("LinkedIn", JobA, AppNew, createdAt: TestData.Now.AddDays(-12));
        var decoy = TestData.Link(LinkFunction.Decoy, JobA, AppNew, createdAt: TestData.Now.AddDays(-12));
        var quiet = TestData.Link("LinkedIn", JobB, AppQuiet, createdAt: TestData.Now.AddDays(-2));
        await TestData.SaveLinksAsync(Database, oldLinkedIn, oldGitHub, newLinkedIn, decoy, quiet);

        await TestData.SaveClicksAsync(Database,
            TestData.Click(oldLinkedIn, Today.AddDays(-20).AddHours(9), "s1"),
            TestData.Click(oldGitHub, Today.AddHours(8), "s2"),
            TestData.Click(newLinkedIn, Today.AddDays(-10), classification: Scanner),
            TestData.Click(newLinkedIn, Today.AddDays(-1).AddHours(14), "s3"),
            TestData.Click(newLinkedIn, Today.AddHours(7), "s3"),
            TestData.Click(decoy, Today.AddHours(6), classification: Scanner),
            TestData.Click(quiet, Today.AddHours(5), classification: Crawler));
    }

    [Test]
    public async Task JobActivity_ListsNewestJobsFirstWithTheirHumanClicks()
    {
        await using var db = Database.CreateContext();

        var jobs = await new LinkActivityQueries(db, TestData.Reads(db)).GetJobActivityAsync(10, CancellationToken.None);

        Assert.That(jobs, Is.EqualTo(new[]
        {
            new Application.Common.Interfaces.JobActivity(JobB, 1, 1, 0, null),
            new Application.Common.Interfaces.JobActivity(JobA, 2, 3, 4, Today.AddHours(8)),
        }));
    }

    [Test]
    public async Task JobActivity_StopsAtTheLimit()
    {
        await using var db = Database.CreateContext();

        var jobs = await new LinkActivityQueries(db, TestData.Reads(db)).GetJobActivityAsync(1, CancellationToken.None);

        Assert.That(jobs.Select(j => j.JobId), Is.EqualTo(new[] { JobB }));
    }

    [Test]
    public async Task ApplicationActivity_OfAJob_ListsItsApplicationsNewestFirst()
    {
        await using var db = Database.CreateContext();

        var applications = await new LinkActivityQueries(db, TestData.Reads(db)).GetApplicationActivityAsync(JobA, null, 10, CancellationToken.None);

        Assert.That(applications, Is.EqualTo(new[]
        {
            new Application.Common.Interfaces.ApplicationActivity(AppNew, JobA, 1, 2, Today.AddDays(-1).AddHours(14), Today.AddHours(7)),
            new Application.Common.Interfaces.ApplicationActivity(AppOld, JobA, 2, 2, Today.AddDays(-20).AddHours(9), Today.AddHours(8)),
        }));
    }

    [Test]
    public async Task ApplicationActivity_SinceADay_ListsOnlyApplicationsFirstClickedByAPersonSinceThen()
    {
        await using var db = Database.CreateContext();

        var applications = await new LinkActivityQueries(db, TestData.Reads(db)).GetApplicationActivityAsync(null, Today.AddDays(-6), 10, CancellationToken.None);

        Assert.That(applications, Is.EqualTo(new[]
        {
            new Application.Common.Interfaces.ApplicationActivity(AppNew, JobA, 1, 2, Today.AddDays(-1).AddHours(14), Today.AddHours(7)),
        }));
    }

    [Test]
    public async Task DailyClicksByCategory_CountsEveryClickButTheDecoysPerDayAndCategory()
    {
        await using var db = Database.CreateContext();

        var rows = await new LinkActivityQueries(db, TestData.Reads(db)).GetDailyClicksByCategoryAsync(Today.AddDays(-10), CancellationToken.None);

        Assert.That(rows, Is.EqualTo(new[]
        {
            new Application.Common.Interfaces.DailyCategoryClicks(DateOnly.FromDateTime(Today.AddDays(-10)), BotCategory.Scanner, 1),
            new Application.Common.Interfaces.DailyCategoryClicks(DateOnly.FromDateTime(Today.AddDays(-1)), BotCategory.Human, 1),
            new Application.Common.Interfaces.DailyCategoryClicks(DateOnly.FromDateTime(Today), BotCategory.Human, 2),
            new Application.Common.Interfaces.DailyCategoryClicks(DateOnly.FromDateTime(Today), BotCategory.Crawler, 1),
        }));
    }
}
