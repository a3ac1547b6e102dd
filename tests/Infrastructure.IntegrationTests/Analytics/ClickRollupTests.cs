using System.Net;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Analytics.Rollups;
using LinkTracking.Infrastructure.Privacy;
using LinkTracking.Tests.Shared;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.IntegrationTests.Analytics;

/// <summary>
/// The rollups the worker keeps, with the corrections' deltas, equal the ones the rebuild computes from the raw clicks,
/// on both providers: after a random mix of batches (small ones inserted, large ones copied on PostgreSQL), replayed
/// batches, partner retries with a known event id, bursts reclassified after the write, erasures and IP anonymisation,
/// with rollup rounds at random points between them (so corrections meet clicks both counted and not yet counted).
/// The distinct keys too: exact rows on SQLite, and on PostgreSQL sketches whose estimates equal the rebuilt ones.
/// </summary>
public sealed class ClickRollupTests(TestProvider provider) : DatabaseFixture(provider)
{
    private static readonly Guid Application = Guid.Parse("0a0a0a0a-4444-4b4b-8b8b-000000000001");
    private static readonly Guid Job = Guid.Parse("0a0a0a0a-4444-4b4b-8b8b-000000000002");
    private static readonly string[] Countries = ["DE", "FR", "US"];
    private static readonly string[] Browsers = ["Chrome", "Firefox", "Safari", "Other"];
    private static readonly string[] Systems = ["Windows", "iOS", "Android", "Mac OS X"];

    [TestCase(1)]
    [TestCase(2)]
    public async Task RebuiltRollups_EqualTheMaintainedOnes_AfterARandomMixOfWritesRetriesReclassificationsAndErasures(int seed)
    {
        var random = new Random(seed);
        // Three links of one application and job (its scopes, and the job's hourly categories), one of neither.
        var links = new[] { "LinkedIn", "Calendly", "Portfolio" }.Select(f => TestData.Link(f, jobId: Job, applicationId: Application))
            .Append(TestData.Link("Company_Website"))
            .ToArray();
        await TestData.SaveLinksAsync(Database, links);
        var writer = Writer();
        var written = new List<List<LinkClick>>();

        for (var round = 0; round < 12; round++)
        {
            var size = random.Next(4) == 0 ? 260 + random.Next(60) : 1 + random.Next(40);
            var batch = Enumerable.Range(0, size).Select(_ => RandomClick(random, links)).ToList();
            if (round % 3 == 0)
            {
                // A scanner fetching every link of the application within seconds: reclassified after the write.
                var at = TestData.Now.AddMinutes(-random.Next(3 * 24 * 60));
                batch.AddRange(links.Take(3).Select((l, i) => LinkClick.Record(new ClickDetails(
                    l.TrackingId, at.AddSeconds(i), IPAddress.Parse("198.51.100.9"), "Mozilla/5.0", null, $"s{random.Next(12)}", ClickSource.Email, null, null, null)
                {
                    Origin = "AS8075",
                    Enrichment = new ClickEnrichment("US", DeviceType.Desktop, "Chrome", "Windows"),
                })));
            }

            if (written.Count > 0 && random.Next(3) == 0)
            {
                // A partner's retries (same event id, another time) and clicks already stored, inside a new batch.
                var earlier = written[random.Next(written.Count)];
                batch.AddRange(earlier.Take(5).Select(c => c.EventId is null ? c : Retry(c)));
            }

            await writer.WriteAsync(batch, CancellationToken.None);
            written.Add(batch);
            if (random.Next(4) == 0)
            {
                await writer.WriteAsync(written[random.Next(written.Count)], CancellationToken.None); // a replayed batch
            }

            if (random.Next(2) == 0)
            {
                await TestData.RollUpAsync(Database);
            }
        }

        await using (var db = Database.CreateContext())
        {
            var privacy = new ClickPrivacyStore(db, TestData.Rollups(Database));
            await privacy.EraseAsync(new ClickErasureFilter(null, "s3", null, null), CancellationToken.None);
            await TestData.RollUpAsync(Database);
            await privacy.EraseAsync(new ClickErasureFilter(IPAddress.Parse("203.0.113.4"), null, null, null), CancellationToken.None);
            await TestData.IpAnonymiser(db, Database).AnonymiseIpsAsync(TestData.Now.AddDays(-1), 1000, CancellationToken.None);
        }

        await TestData.RollUpAsync(Database);
        var maintained = await SnapshotAsync();
        var stored = await TestData.CountClicksAsync(Database);
        long counted;
        await using (var db = Database.CreateContext())
        {
            counted = await new ClickRollupRebuilder(db, TestData.Rollups(Database)).RebuildAsync(CancellationToken.None);
        }

        var rebuilt = await SnapshotAsync();
        Assert.Multiple(() =>
        {
            Assert.That(counted, Is.EqualTo(stored));
            Assert.That(maintained.Rollups.Where(r => r.Dimension == RollupDimensions.Category).Sum(r => r.Human + r.Bot), Is.EqualTo(stored));
            Assert.That(maintained.Rollups.Any(r => r.Value == "scanner"), Is.True, "the mix should include reclassified bursts");
            Assert.That(maintained.Rollups.Where(r => r.Dimension == "total").Sum(r => r.Human + r.Bot), Is.EqualTo(stored), "the links' totals hold every click");
            Assert.That(maintained.Rollups, Is.EqualTo(rebuilt.Rollups));
            Assert.That(maintained.Keys, Is.EqualTo(rebuilt.Keys));
            Assert.That(maintained.Keys, Is.Not.Empty);
            Assert.That(maintained.Scopes, Is.EqualTo(rebuilt.Scopes));
            Assert.That(maintained.Days, Is.EqualTo(rebuilt.Days));
            Assert.That(maintained.Days.Where(r => r.TrackingId == "*" && r.Dimension == RollupDimensions.Category).Sum(r => r.Human + r.Bot), Is.EqualTo(stored),
                "the days of all links sum to every click");
            Assert.That(maintained.Days.Select(r => r.Hour).Distinct().Count(), Is.GreaterThan(1), "the clicks span several days");
            Assert.That(maintained.Days.Where(r => r.TrackingId == "month *" && r.Dimension == RollupDimensions.Category).Sum(r => r.Human + r.Bot), Is.EqualTo(stored),
                "the months of all links sum to every click");
            Assert.That(maintained.Days.Where(r => r.TrackingId == "month *").Select(r => r.Hour).Distinct().Count(), Is.EqualTo(2), "the clicks span two months");
            Assert.That(maintained.Days.Where(r => r.TrackingId == "month j:" + Job.ToString("D") && r.Dimension == RollupDimensions.Category).Sum(r => r.Human + r.Bot),
                Is.EqualTo(maintained.Days.Where(r => r.TrackingId == "j:" + Job.ToString("D") && r.Dimension == RollupDimensions.Category).Sum(r => r.Human + r.Bot)),
                "the job's months sum its days");
            Assert.That(maintained.Days.Any(r => r.TrackingId == "month a:" + Application.ToString("D")), Is.False, "applications keep no months");
            Assert.That(maintained.Keys.Any(k => k.TrackingId == "month *") || Provider == TestProvider.Sqlite, Is.True, "all links' months are sketched");
            Assert.That(maintained.Scopes.Where(r => r.TrackingId == "*" && r.Dimension == RollupDimensions.Category).Sum(r => r.Human + r.Bot), Is.EqualTo(stored),
                "every click of these links (no decoy) is in the scope of all links");
            Assert.That(maintained.Scopes.Where(r => r.TrackingId == "j:" + Job.ToString("D")).Sum(r => r.Human + r.Bot),
                Is.EqualTo(maintained.Rollups.Where(r => r.Dimension == RollupDimensions.Category && links.Take(3).Any(l => l.TrackingId.Value == r.TrackingId)).Sum(r => r.Human + r.Bot)),
                "the job's hourly categories hold every click of its links");
            Assert.That(maintained.Scopes.Where(r => r.TrackingId.StartsWith("j:", StringComparison.Ordinal)).Select(r => r.Dimension).Distinct(),
                Is.EqualTo(new[] { RollupDimensions.Category }), "a job keeps hourly rows of its categories only");
            Assert.That(maintained.Keys.Any(h => h.TrackingId.Contains("a:", StringComparison.Ordinal)) || Provider == TestProvider.Sqlite, Is.True,
                "the application's sessions are sketched");
            Assert.That(maintained.Keys.Any(k => k.TrackingId == "latest j:" + Job.ToString("D") + "/LinkedIn s") || Provider == TestProvider.Postgres, Is.True,
                "SQLite keeps each session's latest hours per shared scope and function");
            if (Provider == TestProvider.Sqlite)
            {
                // All links' sessions per UTC day, counted (ADR 0030): each day's distinct sessions, and those with a human click.
                var sessions = maintained.Keys.Where(k => k.Dimension == RollupDimensions.SessionKind && links.Any(l => l.TrackingId.Value == k.TrackingId)).ToList();
                var perDay = sessions.GroupBy(k => k.Hour.Date)
                    .Select(g => ($"{g.Key:yyyy-MM-dd}", g.Where(k => k.Human > 0).Select(k => k.Value).Distinct().Count(), g.Select(k => k.Value).Distinct().Count()))
                    .Order();
                Assert.That(
                    maintained.Keys.Where(k => k.TrackingId == "day sessions *" && k.Bot > 0).Select(k => ($"{k.Hour:yyyy-MM-dd}", k.Human, k.Bot)).Order(),
                    Is.EqualTo(perDay), "each day's sessions of all links");
            }
        });
    }

    [Test]
    public async Task ABatchWrittenTwice_CountsItsClicksOnce()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        var random = new Random(7);
        var small = Enumerable.Range(0, 10).Select(_ => RandomClick(random, [link])).ToList();
        var large = Enumerable.Range(0, 300).Select(_ => RandomClick(random, [link])).ToList();
        var writer = TestData.RawWriter(Database);

        await writer.WriteAsync(small, CancellationToken.None);
        await TestData.RollUpAsync(Database);
        await writer.WriteAsync(small, CancellationToken.None);
        await writer.WriteAsync(large, CancellationToken.None);
        await writer.WriteAsync([.. large, .. small], CancellationToken.None);
        await TestData.RollUpAsync(Database);

        var snapshot = await SnapshotAsync();
        Assert.That(snapshot.Rollups.Where(r => r.Dimension == RollupDimensions.Category).Sum(r => r.Human + r.Bot), Is.EqualTo(310));
    }

    private static LinkClick RandomClick(Random random, TrackedLink[] links)
    {
        var link = links[random.Next(links.Length)];
        // Most within three days, one in ten up to 40 days back: June's and July's months.
        var at = TestData.Now.AddMinutes(-random.Next(random.Next(10) == 0 ? 40 * 24 * 60 : 3 * 24 * 60)).AddSeconds(random.Next(60));
        var bot = random.Next(10) < 3;
        var origin = random.Next(3) == 0 ? "AS16509" : "198.51.100.0/24";
        return LinkClick.Record(new ClickDetails(
            link.TrackingId,
            at,
            IPAddress.Parse($"203.0.113.{random.Next(8)}"),
            "Mozilla/5.0",
            null,
            random.Next(5) == 0 ? null : $"s{random.Next(12)}",
            random.Next(2) == 0 ? ClickSource.Direct : ClickSource.Email,
            null,
            random.Next(3) == 0 ? $"evt-{random.Next(100_000)}" : null,
            bot ? ClickClassification.Bot(BotCategory.Crawler, "agent_list") : null)
        {
            Origin = origin,
            Enrichment = new ClickEnrichment(
                random.Next(4) == 0 ? null : Countries[random.Next(Countries.Length)],
                random.Next(5) == 0 ? null : (DeviceType)random.Next(5),
                random.Next(5) == 0 ? null : Browsers[random.Next(Browsers.Length)],
                random.Next(5) == 0 ? null : Systems[random.Next(Systems.Length)]),
        });
    }

    /// <summary>The same partner event sent again later: same id, so it must not count again.</summary>
    private static LinkClick Retry(LinkClick click) => LinkClick.Record(new ClickDetails(
        click.TrackingId, click.ClickedAt.AddSeconds(30), click.IpAddress, click.UserAgent, null, "retry-session", click.ClickSource, null, click.EventId, null)
    {
        Origin = click.Origin,
        Enrichment = new ClickEnrichment("JP", DeviceType.Tablet, "Edge", "Linux"),
    });

    private ReclassifyingTestWriter Writer() => TestData.ReclassifyingWriter(Database, TestData.RawWriter(Database));

    private async Task<(List<Row> Rollups, List<Row> Keys, List<Row> Scopes, List<Row> Days)> SnapshotAsync()
    {
        await using var db = Database.CreateContext();
        var rollups = (await db.ClickRollups.AsNoTracking().ToListAsync())
            .Select(r => new Row(r.TrackingId.Value, DateTime.SpecifyKind(r.Hour, DateTimeKind.Utc), r.Dimension, r.Value, r.HumanClicks, r.BotClicks))
            .Concat((await db.ClickLinkTotals.AsNoTracking().ToListAsync())
                .Select(t => new Row(t.TrackingId.Value, DateTime.MinValue, "total", "", checked((int)t.HumanClicks), checked((int)t.BotClicks))))
            .Order()
            .ToList();
        var scopes = (await db.ClickScopeRollups.AsNoTracking().ToListAsync())
            .Select(r => new Row(r.Scope, DateTime.SpecifyKind(r.Hour, DateTimeKind.Utc), r.Dimension, r.Value, r.HumanClicks, r.BotClicks))
            .Order()
            .ToList();
        var days = (await db.ClickDailyRollups.AsNoTracking().ToListAsync())
            .Select(r => new Row(r.Scope, DateTime.SpecifyKind(r.Day, DateTimeKind.Utc), r.Dimension, r.Value, r.HumanClicks, r.BotClicks))
            .Concat((await db.ClickMonthlyRollups.AsNoTracking().ToListAsync())
                .Select(r => new Row("month " + r.Scope, DateTime.SpecifyKind(r.Month, DateTimeKind.Utc), r.Dimension, r.Value, r.HumanClicks, r.BotClicks)))
            .Order()
            .ToList();
        var keys = Provider == TestProvider.Postgres
            ? (await db.Database.SqlQueryRaw<SketchRow>("""
                    SELECT scope AS "Scope", kind AS "Kind", hour AS "Time", round(hll_cardinality(human_keys))::int AS "Human", round(hll_cardinality(all_keys))::int AS "All"
                    FROM link_click_sketches
                    UNION ALL
                    SELECT 'day ' || scope, kind, day, round(hll_cardinality(human_keys))::int, round(hll_cardinality(all_keys))::int
                    FROM link_click_daily_sketches
                    UNION ALL
                    SELECT 'month ' || scope, kind, month, round(hll_cardinality(human_keys))::int, round(hll_cardinality(all_keys))::int
                    FROM link_click_monthly_sketches
                    """).ToListAsync())
                .Select(k => new Row(k.Scope, DateTime.SpecifyKind(k.Time, DateTimeKind.Utc), k.Kind, "", k.Human, k.All))
                .Order()
                .ToList()
            : (await db.Set<ClickUnique>().AsNoTracking().ToListAsync())
                .Select(u => new Row(u.TrackingId.Value, DateTime.SpecifyKind(u.Hour, DateTimeKind.Utc), u.Kind, u.Key, u.HumanClicks, u.BotClicks))
                .Concat((await db.Database.SqlQueryRaw<ScopeKeyRow>(
                        "SELECT scope || ' ' || kind AS scope, key, last_hour, coalesce(last_human_hour, '') AS last_human_hour FROM link_click_scope_keys").ToListAsync())
                    .Select(k => new Row("latest " + k.Scope, DateTime.MinValue, k.LastHour + " / " + k.LastHumanHour, k.Key, 0, 0)))
                .Concat((await db.Database.SqlQueryRaw<DayKeyRow>("SELECT scope, day, key, human_clicks, bot_clicks FROM link_click_day_keys").ToListAsync())
                    .Select(k => new Row("day " + k.Scope, DateTime.SpecifyKind(k.Day, DateTimeKind.Utc), RollupDimensions.SessionKind, k.Key, k.HumanClicks, k.BotClicks)))
                .Concat((await db.Database.SqlQueryRaw<DayKeyRow>("SELECT scope, day, '' AS key, human_sessions AS human_clicks, sessions AS bot_clicks FROM link_click_day_sessions").ToListAsync())
                    .Select(k => new Row("day sessions " + k.Scope, DateTime.SpecifyKind(k.Day, DateTimeKind.Utc), "", "", k.HumanClicks, k.BotClicks)))
                .Order()
                .ToList();
        return (rollups, keys, scopes, days);
    }

    private sealed class DayKeyRow
    {
        public string Scope { get; init; } = "";

        public DateTime Day { get; init; }

        public string Key { get; init; } = "";

        public int HumanClicks { get; init; }

        public int BotClicks { get; init; }
    }

    private sealed class ScopeKeyRow
    {
        public string Scope { get; init; } = "";

        public string Key { get; init; } = "";

        public string LastHour { get; init; } = "";

        public string LastHumanHour { get; init; } = "";
    }

    private sealed class SketchRow
    {
        public string Scope { get; init; } = "";

        public string Kind { get; init; } = "";

        public DateTime Time { get; init; }

        public int Human { get; init; }

        public int All { get; init; }
    }

    private sealed record Row(string TrackingId, DateTime Hour, string Dimension, string Value, int Human, int Bot) : IComparable<Row>
    {
        public int CompareTo(Row? other) => other is null ? 1 : string.CompareOrdinal(ToString(), other.ToString());
    }
}
