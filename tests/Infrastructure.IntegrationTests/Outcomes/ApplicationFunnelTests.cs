using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using LinkTracking.Domain.Outcomes;
using LinkTracking.Infrastructure.Analytics.Rollups;
using LinkTracking.Infrastructure.Outcomes;
using LinkTracking.Infrastructure.Persistence;
using LinkTracking.Infrastructure.Privacy;
using LinkTracking.Tests.Shared;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LinkTracking.Infrastructure.IntegrationTests.Outcomes;

/// <summary>
/// The funnel of all applications (the report's): the applications sent from the period's start on (first link
/// created then or later), with all their links, on both providers; on PostgreSQL the counts kept incrementally
/// (ADR 0027) equal the direct read after any mix of links, clicks, outcomes, erasures and a rebuild.
/// </summary>
public sealed class ApplicationFunnelTests(TestProvider provider) : DatabaseFixture(provider)
{
    private static readonly DateTime Now = TestData.Now;
    private static readonly string[] Functions = ["Portfolio", "Apply_Now", "LinkedIn"];

    /// <summary>
    /// A (first link 10 days ago, another yesterday) was sent before a 7-day period; B (2 days ago, a person opened its
    /// portfolio; interview, then rejected) and C (3 days ago, a scanner only; replied) and D (an hour ago, nothing)
    /// in it. B's decoy link and its click count nowhere.
    /// </summary>
    [Test]
    public async Task AllApplications_FromAStart_AreThoseSentFromThenOn_WithAllTheirLinks()
    {
        var (a, b, c, d) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var aOld = TestData.Link("Portfolio", applicationId: a, createdAt: Now.AddDays(-10));
        var aNew = TestData.Link("Apply_Now", applicationId: a, createdAt: Now.AddDays(-1));
        var bPortfolio = TestData.Link("Portfolio", applicationId: b, createdAt: Now.AddDays(-2));
        var bApply = TestData.Link("Apply_Now", applicationId: b, createdAt: Now.AddDays(-2));
        var bDecoy = TestData.Link(LinkFunction.Decoy, applicationId: b, createdAt: Now.AddDays(-2));
        var cPortfolio = TestData.Link("Portfolio", applicationId: c, createdAt: Now.AddDays(-3));
        var dApply = TestData.Link("Apply_Now", applicationId: d, createdAt: Now.AddHours(-1));
        await TestData.SaveLinksAsync(Database, aOld, aNew, bPortfolio, bApply, bDecoy, cPortfolio, dApply);
        await TestData.RawWriter(Database).WriteAsync(
            [
                TestData.Click(aNew, Now.AddHours(-20), "pa"),
                TestData.Click(bPortfolio, Now.AddHours(-30), "pb"),
                TestData.Click(bDecoy, Now.AddHours(-29), "sb", classification: ClickClassification.Bot(BotCategory.Scanner, ClickSignals.Decoy)),
                TestData.Click(cPortfolio, Now.AddHours(-40), "sc", classification: ClickClassification.Bot(BotCategory.Scanner, ClickSignals.HeadRequest)),
            ],
            CancellationToken.None);
        await TestData.RollUpAsync(Database);
        await RecordAsync(b, OutcomeStage.Interview, OutcomeStage.Rejected);
        await RecordAsync(c, OutcomeStage.Replied);
        await RecordAsync(a, OutcomeStage.Hired);

        var week = Describe(await ReadAsync(Now.AddDays(-7)));
        var allTime = Describe(await ReadAsync(null));

        Assert.Multiple(() =>
        {
            // human_click: B; fetched without a person: C; not fetched: D. Portfolio: B opened, C not; Apply_Now: B, D not opened.
            Assert.That(week, Is.EqualTo(
                "human 1/1/1/0 fetched 1/1/0/0 none 1/0/0/0 | Apply_Now 0/0/0/0 2/1/1/0 | Portfolio 1/1/1/0 1/1/0/0"));
            // A joins with both its links: opened by a person (its Apply_Now link), hired (a reply, an interview and an offer).
            Assert.That(allTime, Is.EqualTo(
                "human 2/2/2/1 fetched 1/1/0/0 none 1/0/0/0 | Apply_Now 1/1/1/0 2/1/1/0 | Portfolio 1/1/1/0 2/2/1/0"));
        });
    }

    /// <summary>
    /// <c>variant_outcomes</c> follows the same rule: A (a plain link 10 days ago, then a link whose variant "a" a
    /// person opened yesterday) was sent before a 7-day period and is left out; B (sent 2 days ago, variant "b") counts.
    /// </summary>
    [Test]
    public async Task VariantOutcomes_FromAStart_CountTheApplicationsSentFromThenOn()
    {
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var aOld = TestData.Link("Portfolio", applicationId: a, createdAt: Now.AddDays(-10));
        var aNew = TestData.Link("Apply_Now", applicationId: a, createdAt: Now.AddDays(-1));
        var bApply = TestData.Link("Apply_Now", applicationId: b, createdAt: Now.AddDays(-2));
        await TestData.SaveLinksAsync(Database, aOld, aNew, bApply);
        await TestData.RawWriter(Database).WriteAsync(
            [TestData.Click(aNew, Now.AddHours(-20), "pa", variant: "a"), TestData.Click(bApply, Now.AddHours(-30), "pb", variant: "b")],
            CancellationToken.None);
        await RecordAsync(b, OutcomeStage.Interview);

        await using var db = Database.CreateContext();
        var queries = new LinkTracking.Infrastructure.Analytics.VariantClickQueries(db, TestData.Reads(db));
        var week = await queries.GetVariantOutcomesAsync(LinkScope.All, Now.AddDays(-7), CancellationToken.None);
        var allTime = await queries.GetVariantOutcomesAsync(LinkScope.All, null, CancellationToken.None);

        static string Describe(IEnumerable<VariantOutcomeCounts> rows) =>
            string.Join(" | ", rows.OrderBy(r => r.Variant, StringComparer.Ordinal).Select(r => $"{r.LinkFunction} {r.Variant} {r.Counts.Applications}/{r.Counts.Interview}"));
        Assert.Multiple(() =>
        {
            Assert.That(Describe(week), Is.EqualTo("Apply_Now b 1/1"));
            Assert.That(Describe(allTime), Is.EqualTo("Apply_Now a 1/0 | Apply_Now b 1/1"));
        });
    }

    [Test]
    public async Task KeptCounts_EqualTheDirectRead_AfterARandomMixOfLinksClicksOutcomesErasuresAndARebuild()
    {
        if (Provider != TestProvider.Postgres)
        {
            Assert.Ignore("The funnel's counts are kept incrementally on PostgreSQL only; SQLite reads the funnel directly (ADR 0027).");
        }

        var random = new Random(27);
        var applications = Enumerable.Range(0, 40).Select(_ => Guid.NewGuid()).ToArray();
        var links = new List<TrackedLink>();
        var starts = new DateTime?[] { null, Now.AddDays(-5), Now.AddDays(-10).AddMinutes(-30), Now.AddDays(-20).AddMinutes(-15) };
        await using var dataSource = NpgsqlDataSource.Create(Database.ConnectionString);
        var funnel = new PostgresApplicationFunnel(dataSource, Options.Create(new DatabaseOptions()));
        var recorded = new List<ApplicationOutcome>();
        for (var round = 0; round < 8; round++)
        {
            // New links: some for applications that have links already, later (an application sent over two periods).
            var created = Enumerable.Range(0, 6 + random.Next(6)).Select(_ =>
            {
                var application = applications[random.Next(applications.Length)];
                var function = random.Next(8) == 0 ? LinkFunction.Decoy : Functions[random.Next(Functions.Length)];
                return TestData.Link(function, applicationId: application, createdAt: Now.AddDays(-random.Next(20)).AddMinutes(-random.Next(24 * 60)));
            }).ToArray();
            await TestData.SaveLinksAsync(Database, created);
            links.AddRange(created);

            await TestData.RawWriter(Database).WriteAsync(
                [.. Enumerable.Range(0, random.Next(12)).Select(_ => TestData.Click(
                    links[random.Next(links.Count)],
                    Now.AddHours(-random.Next(48)),
                    $"s{random.Next(30)}",
                    $"203.0.113.{random.Next(1, 250)}",
                    classification: random.Next(3) == 0 ? ClickClassification.Bot(BotCategory.Scanner, ClickSignals.HeadRequest) : null))],
                CancellationToken.None);
            if (random.Next(3) > 0)
            {
                await TestData.RollUpAsync(Database);
            }

            await using (var db = Database.CreateContext())
            {
                for (var i = random.Next(5); i > 0; i--)
                {
                    var outcome = ApplicationOutcome.Record(
                        applications[random.Next(applications.Length)], OutcomeStage.All[random.Next(OutcomeStage.All.Count)], Now.AddDays(-1), null, null, Now);
                    db.ApplicationOutcomes.Add(outcome);
                    recorded.Add(outcome);
                }

                if (recorded.Count > 0 && random.Next(3) == 0)
                {
                    var deleted = recorded[random.Next(recorded.Count)];
                    recorded.Remove(deleted);
                    db.ApplicationOutcomes.Remove(deleted);
                }

                await db.SaveChangesAsync();
                if (random.Next(3) == 0)
                {
                    // An erasure takes an application's clicks: fetched and opened_by_person may turn back.
                    await new ClickPrivacyStore(db, TestData.Rollups(Database))
                        .EraseAsync(new ClickErasureFilter(null, null, applications[random.Next(applications.Length)], null), CancellationToken.None);
                }
            }

            if (random.Next(2) == 0)
            {
                await funnel.RefreshAsync(wait: false, CancellationToken.None);
            }

            await AssertKeptEqualsDirectAsync(funnel, starts, $"round {round}");
        }

        await using (var db = Database.CreateContext())
        {
            await new ClickRollupRebuilder(db, TestData.Rollups(Database)).RebuildAsync(CancellationToken.None);
        }

        await AssertKeptEqualsDirectAsync(funnel, starts, "after the rebuild");
        var all = await ReadAsync(null, funnel);
        Assert.Multiple(() =>
        {
            Assert.That(all.HumanClick.Applications, Is.GreaterThan(0), "the mix should have applications opened by a person");
            Assert.That(all.FetchedNoHuman.Applications + all.NotFetched.Applications, Is.GreaterThan(0));
            Assert.That(all.HumanClick.Interview + all.NotFetched.Replied + all.FetchedNoHuman.Replied, Is.GreaterThan(0), "and outcomes");
        });
    }

    [Test]
    public async Task AnOutcomeCommittedWhileARefreshRuns_IsCountedByTheNextRead()
    {
        if (Provider != TestProvider.Postgres)
        {
            Assert.Ignore("The funnel's counts are kept incrementally on PostgreSQL only (ADR 0027).");
        }

        var application = Guid.NewGuid();
        await TestData.SaveLinksAsync(Database, TestData.Link("Portfolio", applicationId: application, createdAt: Now.AddDays(-1)));
        await RecordAsync(application, OutcomeStage.Replied);
        await using var dataSource = NpgsqlDataSource.Create(Database.ConnectionString);
        var funnel = new PostgresApplicationFunnel(dataSource, Options.Create(new DatabaseOptions()));
        await funnel.RefreshAsync(wait: true, CancellationToken.None);

        // A screening recorded and not yet refreshed: the application has a mark the next refresh will take. Then the
        // interview is written (with its own mark) by a transaction still open while that refresh runs: the refresh
        // cannot see it, and must leave its mark for the next one (a keyed "dirty" row, written ON CONFLICT DO NOTHING
        // against the screening's, would be taken with the screening's and the interview lost).
        await RecordAsync(application, OutcomeStage.Screening);
        await using var writer = await dataSource.OpenConnectionAsync();
        await using var transaction = await writer.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO application_outcomes (id, application_id, stage, occurred_at, created_at) VALUES ($1, $2, 'interview', $3, $3)", writer, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.NewGuid() });
            insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = application });
            insert.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Now });
            await insert.ExecuteNonQueryAsync();
        }

        await funnel.RefreshAsync(wait: true, CancellationToken.None);
        var before = await ReadAsync(null, funnel);
        await transaction.CommitAsync();
        var after = await ReadAsync(null, funnel);

        Assert.Multiple(() =>
        {
            Assert.That(before.NotFetched, Is.EqualTo(new OutcomeCounts(1, 1, 0, 0)));
            Assert.That(after.NotFetched, Is.EqualTo(new OutcomeCounts(1, 1, 1, 0)));
        });
    }

    private async Task AssertKeptEqualsDirectAsync(PostgresApplicationFunnel funnel, DateTime?[] starts, string when)
    {
        foreach (var start in starts)
        {
            Assert.That(Describe(await ReadAsync(start, funnel)), Is.EqualTo(Describe(await ReadAsync(start))), $"{when}, from {start:O}");
        }
    }

    /// <summary>The provider's funnel of all applications as the service reads it (on PostgreSQL, with <paramref name="funnel"/>'s counts).</summary>
    private async Task<OutcomeFunnelFacts> ReadAsync(DateTime? sentFrom, PostgresApplicationFunnel? funnel = null)
    {
        await using var db = Database.CreateContext();
        var direct = new OutcomeFunnelQueries(db, TestData.Reads(db));
        IOutcomeFunnelQueries queries = funnel is null ? direct : new PostgresOutcomeFunnelQueries(direct, funnel, db, TestData.Reads(db));
        return await queries.GetAsync(LinkScope.All, sentFrom, CancellationToken.None);
    }

    private async Task RecordAsync(Guid application, params string[] stages)
    {
        await using var db = Database.CreateContext();
        for (var i = 0; i < stages.Length; i++)
        {
            db.ApplicationOutcomes.Add(ApplicationOutcome.Record(application, stages[i], Now.AddHours(-10 + i), null, null, Now));
        }

        await db.SaveChangesAsync();
    }

    /// <summary>Each group as applications/replied/interview/offer; per function, opened then not opened.</summary>
    private static string Describe(OutcomeFunnelFacts facts)
    {
        static string Counts(OutcomeCounts c) => $"{c.Applications}/{c.Replied}/{c.Interview}/{c.Offer}";
        var functions = facts.Functions.Select(f => $"{f.LinkFunction} {Counts(f.Opened)} {Counts(f.NotOpened)}");
        return $"human {Counts(facts.HumanClick)} fetched {Counts(facts.FetchedNoHuman)} none {Counts(facts.NotFetched)} | {string.Join(" | ", functions)}";
    }
}
