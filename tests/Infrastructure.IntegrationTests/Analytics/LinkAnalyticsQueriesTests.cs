using System.Net;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;
using LinkTracking.Infrastructure.Privacy;
using LinkTracking.Tests.Shared;

namespace LinkTracking.Infrastructure.IntegrationTests.Analytics;

/// <summary>The analytics SQL on a known data set, on both providers.</summary>
public sealed class LinkAnalyticsQueriesTests(TestProvider provider) : DatabaseFixture(provider)
{
    private static readonly Guid JobA = Guid.Parse("11111111-1111-1111-1111-111111111111");
    private static readonly Guid JobB = Guid.Parse("22222222-2222-2222-2222-222222222222");
    private static readonly Guid AppA = Guid.Parse("33333333-3333-3333-3333-333333333333");
    private static readonly DateTime Today = TestData.Now.Date;

    private Domain.Links.TrackedLink _linkedIn = null!;
    private Domain.Links.TrackedLink _github = null!;
    private Domain.Links.TrackedLink _calendly = null!;
    private Domain.Links.TrackedLink _otherJob = null!;

    [SetUp]
    public async Task Seed()
    {
        _linkedIn = TestData.Link("LinkedIn", JobA, AppA);
        _github = TestData.Link("GitHub", JobA, AppA);
        _calendly = TestData.Link("Calendly", JobA, null);
        _otherJob = TestData.Link("LinkedIn", JobB, null);
        _calendly.Deactivate(TestData.Now);
        await TestData.SaveLinksAsync(Database, _linkedIn, _github, _calendly, _otherJob);

        await TestData.SaveClicksAsync(Database,
            // LinkedIn: 4 human clicks (3 sessions, 2 IPs) over three days, 1 bot click today.
            TestData.Click(_linkedIn, Today.AddHours(9), "s1", "203.0.113.1", ClickSource.Email),
            TestData.Click(_linkedIn, Today.AddHours(10), "s1", "203.0.113.1", ClickSource.Email),
            TestData.Click(_linkedIn, Today.AddDays(-1).AddHours(12), "s2", "203.0.113.2", ClickSource.LinkedIn),
            TestData.Click(_linkedIn, Today.AddDays(-5).AddHours(8), "s3", null, ClickSource.Direct),
            TestData.Click(_linkedIn, Today.AddHours(11), null, "198.51.100.7", ClickSource.Direct, classification: ClickClassification.Bot(BotCategory.Scanner, ClickSignals.HeadRequest)),
            // LinkedIn: one old click, outside a 30-day period.
            TestData.Click(_linkedIn, Today.AddDays(-40), "s9", "203.0.113.9", ClickSource.Direct),
            // GitHub: 1 click yesterday.
            TestData.Click(_github, Today.AddDays(-1).AddHours(1), "s2", "203.0.113.2", ClickSource.External),
            // Other job: 2 clicks today.
            TestData.Click(_otherJob, Today.AddHours(1), "s7", "192.0.2.1", ClickSource.Direct),
            TestData.Click(_otherJob, Today.AddHours(2), "s8", "192.0.2.2", ClickSource.Direct));
    }

    [Test]
    public async Task LinkTotals_CountHumanClicksSessionsAndIpsInThePeriod()
    {
        await using var db = Database.CreateContext();
        var queries = TestData.AnalyticsQueries(db);

        var totals = await queries.GetLinkTotalsAsync(_linkedIn.TrackingId.Value, Today.AddDays(-29), TestData.Now, includeBots: false, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(totals.TotalClicks, Is.EqualTo(4));
            Assert.That(totals.UniqueSessions, Is.EqualTo(3));
            Assert.That(totals.UniqueIps, Is.EqualTo(2));
            Assert.That(totals.BotClicks, Is.EqualTo(1));
            Assert.That(totals.Clicks24H, Is.EqualTo(2));
            Assert.That(totals.Clicks7D, Is.EqualTo(4));
            Assert.That(totals.FirstClick, Is.EqualTo(Today.AddDays(-5).AddHours(8)));
            Assert.That(totals.LastClick, Is.EqualTo(Today.AddHours(10)));
            Assert.That(totals.ClicksBySource, Is.EquivalentTo(new Dictionary<string, int> { ["email"] = 2, ["linkedin"] = 1, ["direct"] = 1 }));
        });
    }

    [Test]
    public async Task LinkTotals_WithBots_AddTheBotClick()
    {
        await using var db = Database.CreateContext();

        var totals = await TestData.AnalyticsQueries(db).GetLinkTotalsAsync(_linkedIn.TrackingId.Value, Today.AddDays(-29), TestData.Now, includeBots: true, CancellationToken.None);

        Assert.That(totals.TotalClicks, Is.EqualTo(5));
        Assert.That(totals.UniqueIps, Is.EqualTo(3));
        Assert.That(totals.ClicksBySource["direct"], Is.EqualTo(2));
    }

    [Test]
    public async Task LinkTotals_ForAPeriodStartingInsideADay_CountThatDaysLaterHoursAndTheWholeDaysAfter()
    {
        await using var db = Database.CreateContext();

        // From yesterday 06:00: yesterday's 12:00 click (a partial first day: the hourly rows) and today's two (a whole
        // day: the daily rows); the click five days ago is out.
        var totals = await TestData.AnalyticsQueries(db).GetLinkTotalsAsync(
            _linkedIn.TrackingId.Value, Today.AddDays(-1).AddHours(6), TestData.Now, includeBots: false, CancellationToken.None);

        Assert.That(totals.TotalClicks, Is.EqualTo(3));
        Assert.That(totals.ClicksBySource, Is.EquivalentTo(new Dictionary<string, int> { ["email"] = 2, ["linkedin"] = 1 }));
    }

    [Test]
    public async Task FunctionClicks_ForAPeriodStartingInsideADay_CountThatDaysLaterHours()
    {
        await using var db = Database.CreateContext();

        // From yesterday 00:30: GitHub's click at 01:00 is in, LinkedIn's yesterday and today are; nothing at 00:00 was.
        var functions = await TestData.AnalyticsQueries(db).GetFunctionClicksAsync(
            LinkScope.ForJob(JobA), Today.AddDays(-1).AddMinutes(30), false, withLastClick: true, CancellationToken.None);

        var byName = functions.ToDictionary(f => f.LinkFunction);
        Assert.That(byName["LinkedIn"], Is.EqualTo(new FunctionClicks("LinkedIn", 1, 3, 2, Today.AddHours(10))));
        Assert.That(byName["GitHub"], Is.EqualTo(new FunctionClicks("GitHub", 1, 1, 1, Today.AddDays(-1).AddHours(1))));
    }

    [Test]
    public async Task DailyClicks_GroupByUtcDayWithDistinctSessions()
    {
        await using var db = Database.CreateContext();

        var days = await TestData.AnalyticsQueries(db).GetDailyClicksAsync(LinkScope.ForLink(_linkedIn.TrackingId.Value), Today.AddDays(-6), false, TimeZoneInfo.Utc, CancellationToken.None);

        Assert.That(days, Is.EqualTo(new[]
        {
            new DailyClicks(DateOnly.FromDateTime(Today.AddDays(-5)), 1, 1),
            new DailyClicks(DateOnly.FromDateTime(Today.AddDays(-1)), 1, 1),
            new DailyClicks(DateOnly.FromDateTime(Today), 2, 1),
        }));
    }

    [Test]
    public async Task DailyClicks_ForAllLinks_FromInsideADay_CountEachDaysSessionsOnce()
    {
        await using var db = Database.CreateContext();

        // From yesterday 06:00 in UTC: yesterday is a partial day (its gaps: LinkedIn's 12:00 click, not GitHub's at
        // 01:00), today a whole one (its row per day: s1 twice on LinkedIn, s7 and s8 on the other job's link).
        var days = await TestData.AnalyticsQueries(db).GetDailyClicksAsync(
            LinkScope.All, Today.AddDays(-1).AddHours(6), false, TimeZoneInfo.Utc, CancellationToken.None);

        Assert.That(days, Is.EqualTo(new[]
        {
            new DailyClicks(DateOnly.FromDateTime(Today.AddDays(-1)), 1, 1),
            new DailyClicks(DateOnly.FromDateTime(Today), 4, 3),
        }));
    }

    [Test]
    public async Task ScopeTotals_LinksClicked_FollowTheLastCountedHour()
    {
        // The other job's link: clicks at 01:00 (s7) and 02:00 (s8). LinkedIn: its last human click at 10:00, a bot's at 11:00.
        var jobFrom0130 = await TotalsAsync(LinkScope.ForJob(JobB), Today.AddMinutes(90), includeBots: false);
        var appFrom1030 = await TotalsAsync(LinkScope.ForApplication(AppA), Today.AddHours(10.5), includeBots: false);
        var appFrom1030WithBots = await TotalsAsync(LinkScope.ForApplication(AppA), Today.AddHours(10.5), includeBots: true);
        await using (var db = Database.CreateContext())
        {
            await new ClickPrivacyStore(db, TestData.Rollups(Database)).EraseAsync(new ClickErasureFilter(null, "s8", null, null), CancellationToken.None);
        }

        var jobFrom0130AfterErasure = await TotalsAsync(LinkScope.ForJob(JobB), Today.AddMinutes(90), includeBots: false);
        var jobAllTimeAfterErasure = await TotalsAsync(LinkScope.ForJob(JobB), null, includeBots: false);

        Assert.Multiple(() =>
        {
            Assert.That(jobFrom0130.LinksClicked, Is.EqualTo(1));
            Assert.That(appFrom1030.LinksClicked, Is.EqualTo(0), "only a bot clicked after 10:30");
            Assert.That(appFrom1030WithBots.LinksClicked, Is.EqualTo(1));
            Assert.That(jobFrom0130AfterErasure.LinksClicked, Is.EqualTo(0), "with the 02:00 click erased, the link's last click is at 01:00");
            Assert.That(jobAllTimeAfterErasure.LinksClicked, Is.EqualTo(1));
        });

        async Task<ScopeTotals> TotalsAsync(LinkScope scope, DateTime? from, bool includeBots)
        {
            await using var db = Database.CreateContext();
            return await TestData.AnalyticsQueries(db).GetScopeTotalsAsync(scope, from, includeBots, CancellationToken.None);
        }
    }

    [Test]
    public async Task RecentClicks_AreNewestFirstAndLimited()
    {
        await using var db = Database.CreateContext();

        var recent = await TestData.AnalyticsQueries(db).GetRecentClicksAsync(_linkedIn.TrackingId.Value, 2, false, CancellationToken.None);

        Assert.That(recent.Select(r => r.ClickedAt), Is.EqualTo(new[] { Today.AddHours(10), Today.AddHours(9) }));
        Assert.That(recent[0].IpAddress, Is.EqualTo(IPAddress.Parse("203.0.113.1")));
    }

    [Test]
    public async Task FunctionClicks_ForAJob_CoverItsLinksOnly_AllTime()
    {
        await using var db = Database.CreateContext();

        var functions = await TestData.AnalyticsQueries(db).GetFunctionClicksAsync(LinkScope.ForJob(JobA), null, false, withLastClick: true, CancellationToken.None);

        var byName = functions.ToDictionary(f => f.LinkFunction);
        Assert.That(byName.Keys, Is.EquivalentTo(new[] { "LinkedIn", "GitHub", "Calendly" }));
        Assert.That(byName["LinkedIn"], Is.EqualTo(new FunctionClicks("LinkedIn", 1, 5, 4, Today.AddHours(10))));
        Assert.That(byName["GitHub"], Is.EqualTo(new FunctionClicks("GitHub", 1, 1, 1, Today.AddDays(-1).AddHours(1))));
        Assert.That(byName["Calendly"], Is.EqualTo(new FunctionClicks("Calendly", 1, 0, 0, null)));
    }

    [Test]
    public async Task ScopeTotals_ForAnApplication()
    {
        await using var db = Database.CreateContext();

        var totals = await TestData.AnalyticsQueries(db).GetScopeTotalsAsync(LinkScope.ForApplication(AppA), null, false, CancellationToken.None);

        Assert.That(totals, Is.EqualTo(new ScopeTotals(TotalLinks: 2, ActiveLinks: 2, Jobs: 1, Applications: 1, TotalClicks: 6, UniqueSessions: 4, LinksClicked: 2)));
    }

    [Test]
    public async Task ScopeTotals_ForEverything_InAPeriod()
    {
        await using var db = Database.CreateContext();

        var totals = await TestData.AnalyticsQueries(db).GetScopeTotalsAsync(LinkScope.All, Today.AddDays(-29), false, CancellationToken.None);

        Assert.That(totals, Is.EqualTo(new ScopeTotals(TotalLinks: 4, ActiveLinks: 3, Jobs: 2, Applications: 1, TotalClicks: 7, UniqueSessions: 5, LinksClicked: 3)));
    }

    [Test]
    public async Task FunctionClicks_ForEverything_InAPeriod_MergeLinksOfTheSameFunction()
    {
        await using var db = Database.CreateContext();

        var functions = await TestData.AnalyticsQueries(db).GetFunctionClicksAsync(LinkScope.All, Today.AddDays(-29), false, withLastClick: true, CancellationToken.None);

        var linkedIn = functions.Single(f => f.LinkFunction == "LinkedIn");
        Assert.That(linkedIn.Links, Is.EqualTo(2));
        Assert.That(linkedIn.Clicks, Is.EqualTo(6));
        Assert.That(linkedIn.UniqueSessions, Is.EqualTo(5));
        Assert.That(linkedIn.LastClick, Is.Not.Null);
    }

    [Test]
    public async Task FunctionClicks_WithoutLastClick_HaveTheSameFigures_AndNoTime()
    {
        await using var db = Database.CreateContext();
        var queries = TestData.AnalyticsQueries(db);

        var with = await queries.GetFunctionClicksAsync(LinkScope.All, Today.AddDays(-29), false, withLastClick: true, CancellationToken.None);
        var without = await queries.GetFunctionClicksAsync(LinkScope.All, Today.AddDays(-29), false, withLastClick: false, CancellationToken.None);

        Assert.That(without, Is.EqualTo(with.Select(f => f with { LastClick = null })));
        Assert.That(with.Count(f => f.LastClick is not null), Is.GreaterThan(0));
    }
}
