using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Analytics;
using LinkTracking.Infrastructure.Analytics.Rollups;
using LinkTracking.Infrastructure.Privacy;
using LinkTracking.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LinkTracking.Infrastructure.IntegrationTests.Analytics;

/// <summary>
/// The report's link statistics (all links): on PostgreSQL kept by <see cref="PostgresLinkCensus"/> (ADR 0028), they
/// equal what the links and their rollups say after any mix of links, deactivations, clicks, erasures, folds and a
/// rebuild; a link and its change commit together, so a fold never counts a job twice or misses one.
/// </summary>
public sealed class LinkCensusTests(TestProvider provider) : DatabaseFixture(provider)
{
    private static readonly DateTime Now = TestData.Now;
    private static readonly string[] Functions = ["Portfolio", "Apply_Now", "LinkedIn"];

    [Test]
    public async Task KeptStatistics_EqualTheLinksAndTheirRollups_AfterARandomMix()
    {
        var random = new Random(28);
        var jobs = Enumerable.Range(0, 8).Select(_ => Guid.NewGuid()).ToArray();
        var applications = Enumerable.Range(0, 25).Select(_ => Guid.NewGuid()).ToArray();
        var links = new List<TrackedLink>();
        var starts = new DateTime?[] { null, Now.AddHours(-6), Now.AddDays(-1).AddMinutes(-30), Now.AddDays(-3) };
        await using var dataSource = Provider == TestProvider.Postgres ? NpgsqlDataSource.Create(Database.ConnectionString) : null;
        var census = dataSource is null ? null : new PostgresLinkCensus(dataSource);
        for (var round = 0; round < 12; round++)
        {
            var created = Enumerable.Range(0, 4 + random.Next(6)).Select(_ =>
            {
                var function = random.Next(8) == 0 ? LinkFunction.Decoy : Functions[random.Next(Functions.Length)];
                return TestData.Link(
                    function,
                    jobId: random.Next(5) == 0 ? null : jobs[random.Next(jobs.Length)],
                    applicationId: random.Next(5) == 0 ? null : applications[random.Next(applications.Length)],
                    createdAt: Now.AddDays(-random.Next(5)));
            }).ToArray();
            await TestData.SaveLinksAsync(Database, created);
            links.AddRange(created);

            await using (var db = Database.CreateContext())
            {
                foreach (var link in (await db.Links.OrderBy(l => l.CreatedAt).ThenBy(l => l.Id).ToListAsync()).Where(_ => random.Next(4) == 0))
                {
                    _ = link.IsActive ? link.Deactivate(Now) : link.Activate(Now);
                }

                await db.SaveChangesAsync();
            }

            await TestData.RawWriter(Database).WriteAsync(
                [.. Enumerable.Range(0, random.Next(14)).Select(_ => TestData.Click(
                    links[random.Next(links.Count)],
                    Now.AddHours(-random.Next(96)).AddMinutes(-random.Next(60)),
                    $"s{random.Next(30)}",
                    $"203.0.113.{random.Next(1, 250)}",
                    classification: random.Next(3) == 0 ? ClickClassification.Bot(BotCategory.Scanner, ClickSignals.HeadRequest) : null))],
                CancellationToken.None);
            if (random.Next(3) > 0)
            {
                await TestData.RollUpAsync(Database);
            }

            if (random.Next(3) == 0)
            {
                // An erasure takes a person's (a session's) or a job's clicks: links' last counted hours move back, or go.
                await using var db = Database.CreateContext();
                var filter = random.Next(2) == 0
                    ? new ClickErasureFilter(null, $"s{random.Next(30)}", null, null)
                    : new ClickErasureFilter(null, null, null, jobs[random.Next(jobs.Length)]);
                await new ClickPrivacyStore(db, TestData.Rollups(Database)).EraseAsync(filter, CancellationToken.None);
            }

            if (census is not null && random.Next(2) == 0)
            {
                await census.FoldAsync(CancellationToken.None);
            }

            await AssertKeptEqualsExpectedAsync(starts, $"round {round}");
        }

        await using (var db = Database.CreateContext())
        {
            await new ClickRollupRebuilder(db, TestData.Rollups(Database)).RebuildAsync(CancellationToken.None);
        }

        await AssertKeptEqualsExpectedAsync(starts, "after the rebuild");
        if (census is not null)
        {
            await census.FoldAsync(CancellationToken.None);
            await AssertKeptEqualsExpectedAsync(starts, "after the rebuild and a fold");
        }
    }

    [Test]
    public async Task AnErasedLatestClick_TakesTheLinkOutOfAPeriodItNoLongerHasClicksIn()
    {
        var link = TestData.Link("Portfolio", jobId: Guid.NewGuid());
        await TestData.SaveLinksAsync(Database, link);
        await TestData.RawWriter(Database).WriteAsync(
            [TestData.Click(link, Now.AddDays(-2), "older", "203.0.113.7"), TestData.Click(link, Now.AddHours(-1), "latest", "198.51.100.9")],
            CancellationToken.None);
        await TestData.RollUpAsync(Database);
        var before = await TotalsAsync(Now.AddHours(-6), includeBots: false);
        await using (var db = Database.CreateContext())
        {
            await new ClickPrivacyStore(db, TestData.Rollups(Database))
                .EraseAsync(new ClickErasureFilter(null, "latest", null, null), CancellationToken.None);
        }

        var after = await TotalsAsync(Now.AddHours(-6), includeBots: false);
        var allTime = await TotalsAsync(null, includeBots: false);
        Assert.Multiple(() =>
        {
            Assert.That(before.LinksClicked, Is.EqualTo(1));
            Assert.That(after.LinksClicked, Is.EqualTo(0), "its last click is now two days old");
            Assert.That(allTime.LinksClicked, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task AJobsFirstLinks_InTwoTransactions_CountTheJobOnce_WhicheverCommitsAroundAFold()
    {
        if (Provider != TestProvider.Postgres)
        {
            Assert.Ignore("The census is kept on PostgreSQL only; SQLite counts the links directly (ADR 0028).");
        }

        var job = Guid.NewGuid();
        await using var dataSource = NpgsqlDataSource.Create(Database.ConnectionString);
        var census = new PostgresLinkCensus(dataSource);
        await using var slow = Database.CreateContext();
        await using var transaction = await slow.Database.BeginTransactionAsync();
        slow.Links.Add(TestData.Link("Portfolio", jobId: job));
        await slow.SaveChangesAsync();

        // The other first link commits and is folded while the slow one is still open: the job is new then, and not
        // again when the slow link commits and is folded.
        await TestData.SaveLinksAsync(Database, TestData.Link("LinkedIn", jobId: job));
        await census.FoldAsync(CancellationToken.None);
        var before = await TotalsAsync(null, includeBots: false);
        await transaction.CommitAsync();
        var pending = await TotalsAsync(null, includeBots: false);
        await census.FoldAsync(CancellationToken.None);
        var after = await TotalsAsync(null, includeBots: false);

        Assert.Multiple(() =>
        {
            Assert.That((before.TotalLinks, before.Jobs), Is.EqualTo((1, 1)));
            Assert.That((pending.TotalLinks, pending.Jobs), Is.EqualTo((2, 1)), "the slow link's change not yet folded");
            Assert.That((after.TotalLinks, after.Jobs), Is.EqualTo((2, 1)));
        });
    }

    private async Task AssertKeptEqualsExpectedAsync(DateTime?[] starts, string when)
    {
        foreach (var includeBots in new[] { false, true })
        {
            foreach (var start in starts)
            {
                var kept = await TotalsAsync(start, includeBots);
                var expected = await ExpectedAsync(start, includeBots);
                Assert.That(
                    (kept.TotalLinks, kept.ActiveLinks, kept.Jobs, kept.Applications, kept.LinksClicked),
                    Is.EqualTo(expected),
                    $"{when}, from {start:O}, include_bots {includeBots}");
            }
        }

        await using var db = Database.CreateContext();
        var functions = await TestData.AnalyticsQueries(db).GetFunctionClicksAsync(LinkScope.All, null, false, false, CancellationToken.None);
        var expectedFunctions = await db.Links.Where(l => l.LinkFunction != LinkFunction.Decoy)
            .GroupBy(l => l.LinkFunction).Select(g => new { g.Key, Links = g.Count() }).ToListAsync();
        Assert.That(
            functions.Select(f => $"{f.LinkFunction} {f.Links}").Order(),
            Is.EqualTo(expectedFunctions.Select(f => $"{f.Key} {f.Links}").Order()),
            $"{when}: links per function");
    }

    private async Task<ScopeTotals> TotalsAsync(DateTime? from, bool includeBots)
    {
        await using var db = Database.CreateContext();
        return await TestData.AnalyticsQueries(db).GetScopeTotalsAsync(LinkScope.All, from, includeBots, CancellationToken.None);
    }

    /// <summary>
    /// From the links and the category rollups themselves: a link counts as clicked in a period when it has a rollup
    /// hour from the period's start on with (human) clicks.
    /// </summary>
    private async Task<(int Links, int Active, int Jobs, int Applications, int Clicked)> ExpectedAsync(DateTime? from, bool includeBots)
    {
        await using var db = Database.CreateContext();
        var links = await db.Links.Where(l => l.LinkFunction != LinkFunction.Decoy).ToListAsync();
        var rollups = await db.ClickRollups.Where(r => r.Dimension == RollupDimensions.Category).ToListAsync();
        var clicked = rollups
            .Where(r => (from is null || r.Hour >= from) && (includeBots ? r.HumanClicks + r.BotClicks : r.HumanClicks) > 0)
            .Select(r => r.TrackingId)
            .ToHashSet();
        return (
            links.Count,
            links.Count(l => l.IsActive),
            links.Where(l => l.JobId is not null).Select(l => l.JobId).Distinct().Count(),
            links.Where(l => l.ApplicationId is not null).Select(l => l.ApplicationId).Distinct().Count(),
            links.Count(l => clicked.Contains(l.TrackingId)));
    }
}
