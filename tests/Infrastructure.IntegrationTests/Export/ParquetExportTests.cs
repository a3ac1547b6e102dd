using DuckDB.NET.Data;
using LinkTracking.Application.Clicks.Queries.ExportClicks;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Analytics;
using LinkTracking.Infrastructure.Export;
using LinkTracking.Infrastructure.Persistence;
using LinkTracking.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LinkTracking.Infrastructure.IntegrationTests.Export;

/// <summary>The Parquet export, read back by DuckDB as a warehouse would, on both providers.</summary>
public sealed class ParquetExportTests(TestProvider provider) : DatabaseFixture(provider)
{
    private static readonly DateOnly Day1 = new(2025, 7, 25);

    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("lt-parquet-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Export_CountsPerDayAndCategory_AsStored_InSeveralFilesAndRowGroups()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        var start = Day1.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var categories = new[] { BotCategory.Human, BotCategory.Scanner, BotCategory.Crawler, BotCategory.Preview, BotCategory.Monitor };
        var clicks = new List<LinkClick>();
        // Day 1: 2 500 clicks (three files of at most 1 000 rows, row groups of 1 000); day 2: a handful either side of
        // midnight; day 3: none; the day after the range: one that must not appear.
        for (var i = 0; i < 2500; i++)
        {
            clicks.Add(Click(link, start.AddSeconds(i * 30), categories[i % categories.Length]));
        }

        clicks.Add(Click(link, start.AddDays(1), BotCategory.Human));
        clicks.Add(Click(link, start.AddDays(2).AddTicks(-10), BotCategory.Scanner));
        clicks.Add(Click(link, start.AddDays(3), BotCategory.Human));
        await TestData.SaveClicksAsync(Database, [.. clicks]);

        var summary = await Exporter().ExportAsync(Day1, Day1.AddDays(3), _directory, null, CancellationToken.None);

        var stored = await StoredCountsAsync(start, start.AddDays(3));
        Assert.That(ReadBack(), Is.EquivalentTo(stored));
        Assert.That(stored, Has.Count.EqualTo(7), "five categories on day 1, two on day 2");
        Assert.That(summary, Is.EqualTo(new ParquetExportSummary(3, 2502, 4)));
        Assert.That(Directory.GetFiles(Path.Combine(_directory, "date=2025-07-25")).Select(Path.GetFileName).Order(),
            Is.EqualTo(new[] { "part-0.parquet", "part-1.parquet", "part-2.parquet" }));
        Assert.That(Directory.GetFiles(Path.Combine(_directory, "date=2025-07-27")), Is.Empty, "a day without clicks has an empty partition");
        Assert.That(Directory.GetDirectories(_directory).Select(Path.GetFileName).Order(),
            Is.EqualTo(new[] { "date=2025-07-25", "date=2025-07-26", "date=2025-07-27" }), "no staging directory left");
    }

    [Test]
    public async Task Export_WritesTheColumnsOfTheCsvExport_AndAgainReplacesTheDay()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        var at = Day1.ToDateTime(new TimeOnly(13, 14, 15), DateTimeKind.Utc).AddTicks(1230);
        var click = TestData.Click(link, at: at, ip: "203.0.113.77", userAgent: "Mozilla/5.0 (test)", session: "s-1",
            classification: new ClickClassification(BotCategory.Scanner, ["ua_list", "fast_after_send"]),
            enrichment: new ClickEnrichment("DE", DeviceType.Desktop, "Firefox", "Linux"));
        await TestData.SaveClicksAsync(Database, click);

        await Exporter().ExportAsync(Day1, Day1.AddDays(1), _directory, null, CancellationToken.None);
        await Exporter().ExportAsync(Day1, Day1.AddDays(1), _directory, null, CancellationToken.None);

        using var duck = Open();
        using var command = duck.CreateCommand();
        command.CommandText = $"""
            SELECT click_id, tracking_id, clicked_at, click_source, bot_category, signals, ip_partial, country, device_type,
                   browser, os, user_agent, referrer_url, session_id, variant, CAST(date AS VARCHAR)
            FROM read_parquet('{Glob()}', hive_partitioning = true)
            """;
        using var reader = command.ExecuteReader();
        Assert.That(reader.Read(), Is.True);
        var columns = Enumerable.Range(0, reader.FieldCount - 1).Select(reader.GetName).ToList();
        Assert.That(columns, Is.EqualTo(ExportedClick.Columns));
        Assert.That(reader.GetString(0), Is.EqualTo(click.Id.ToString()));
        Assert.That(reader.GetString(1), Is.EqualTo(link.TrackingId.Value));
        Assert.That(reader.GetDateTime(2), Is.EqualTo(at.AddTicks(-(at.Ticks % 10))), "microseconds, UTC");
        Assert.That(reader.GetString(4), Is.EqualTo("scanner"));
        Assert.That(reader.GetString(5), Is.EqualTo("ua_list,fast_after_send"));
        Assert.That(reader.GetString(6), Is.EqualTo("203.0.113.*"), "masked as the CSV export masks it");
        Assert.That(new[] { reader.GetString(7), reader.GetString(8), reader.GetString(9), reader.GetString(10) }, Is.EqualTo(new[] { "DE", "desktop", "Firefox", "Linux" }));
        Assert.That(reader.GetString(11), Is.EqualTo("Mozilla/5.0 (test)"));
        Assert.That(reader.IsDBNull(12), Is.True);
        Assert.That(reader.GetString(13), Is.EqualTo("s-1"));
        Assert.That(reader.IsDBNull(14), Is.True, "no variant");
        Assert.That(reader.GetString(15), Is.EqualTo("2025-07-25"));
        Assert.That(reader.Read(), Is.False, "a second export replaced the day instead of adding to it");
    }

    [Test]
    public async Task DailyJob_ExportsYesterdayOnce()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        var today = Day1.AddDays(1).ToDateTime(new TimeOnly(0, 30), DateTimeKind.Utc);
        await TestData.SaveClicksAsync(Database,
            Click(link, today.AddHours(-1), BotCategory.Human),
            Click(link, today.AddHours(-2), BotCategory.Preview),
            Click(link, today, BotCategory.Human));
        var job = Job(new FakeTimeProvider(new DateTimeOffset(today)));

        var first = await job.RunOnceAsync(CancellationToken.None);
        await TestData.SaveClicksAsync(Database, Click(link, today.AddHours(-3), BotCategory.Human));
        var second = await job.RunOnceAsync(CancellationToken.None);

        Assert.That(first, Is.EqualTo(new ParquetDayExported(Day1, 2, 1)));
        Assert.That(second, Is.Null, "yesterday is exported once");
        Assert.That(ReadBack(), Is.EquivalentTo(new Dictionary<(string, string), long>
        {
            [("2025-07-25", "human")] = 1,
            [("2025-07-25", "preview")] = 1,
        }));
    }

    [Test]
    public async Task Export_GivesTheValuesOfTheCsvExport_ForEveryKindOfStoredRow()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        var at = Day1.ToDateTime(new TimeOnly(9, 0), DateTimeKind.Utc).AddTicks(4567);
        await TestData.SaveClicksAsync(Database,
            TestData.Click(link, at: at, ip: "2001:db8:85a3::8a2e:370:7334", userAgent: "Mozilla/5.0 (é ✓)", session: "s-1",
                classification: new ClickClassification(BotCategory.Crawler, ["ua_list"]),
                enrichment: new ClickEnrichment("US", DeviceType.Mobile, "Mobile Safari", "iOS")),
            TestData.Click(link, at: at.AddSeconds(1), ip: "::ffff:198.51.100.7", source: "greenhouse"),
            TestData.Click(link, at: at.AddSeconds(2)),
            TestData.Click(link, at: at.AddSeconds(3), ip: "203.0.113.9", session: "odd",
                classification: new ClickClassification(BotCategory.Monitor, ["a", "b"]), enrichment: new ClickEnrichment(null, DeviceType.Tablet, null, null)));
        await using (var db = Database.CreateContext())
        {
            // Stored values no write path makes today, but an old row or a hand edit may hold: the export reads them as the
            // entity mapping does (unknown device "other", a category in capitals, empty signal entries dropped).
            await db.Database.ExecuteSqlRawAsync(
                "UPDATE link_clicks SET signals = ',a,,b,', bot_category = 'MONITOR', device_type = 'fridge', referrer_url = 'https://example.com/?q=1' WHERE session_id = 'odd'");
            await db.Database.ExecuteSqlRawAsync("UPDATE link_clicks SET signals = ',' WHERE session_id = 's-1'");
        }

        await Exporter().ExportAsync(Day1, Day1.AddDays(1), _directory, null, CancellationToken.None);

        var expected = new List<string?[]>();
        await using (var db = Database.CreateContext())
        {
            var start = Day1.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var rows = new ClickExportReader(db, Options.Create(new DatabaseOptions())).ReadAsync(new ClickExportFilter(From: start, To: start.AddDays(1), IncludeBots: true), CancellationToken.None);
            await foreach (var row in rows)
            {
                var c = ExportClicksQueryHandler.ToExported(row);
                expected.Add([
                    c.ClickId.ToString(), c.TrackingId, Micros(c.ClickedAt), c.ClickSource, c.BotCategory, c.Signals.Count == 0 ? null : string.Join(',', c.Signals),
                    c.IpPartial, c.Country, c.DeviceType, c.Browser, c.Os, c.UserAgent, c.ReferrerUrl, c.SessionId, c.Variant,
                ]);
            }
        }

        using var duck = Open();
        using var command = duck.CreateCommand();
        command.CommandText = $"SELECT * EXCLUDE (date) FROM read_parquet('{Glob()}', hive_partitioning = true) ORDER BY clicked_at";
        using var reader = command.ExecuteReader();
        var exported = new List<string?[]>();
        while (reader.Read())
        {
            exported.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : i == 2 ? Micros(reader.GetDateTime(i)) : reader.GetString(i))]);
        }

        Assert.That(expected, Has.Count.EqualTo(4));
        Assert.That(exported, Is.EqualTo(expected));
        Assert.That(expected[3][4..6], Is.EqualTo(new[] { "monitor", "a,b" }), "the awkward row is in the comparison");
    }

    [TestCase("optimal", true)]
    [TestCase("Smallest", true)]
    [TestCase("fastest", true)]
    [TestCase("max", false)]
    public void CompressionLevel_IsOneOfThree(string level, bool valid) =>
        Assert.That(new ParquetExportOptions { CompressionLevel = level }.IsValid(), Is.EqualTo(valid));

    private static string Micros(DateTime at) => at.AddTicks(-(at.Ticks % 10)).ToString("yyyy-MM-dd HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture);

    private static LinkClick Click(TrackedLink link, DateTime at, BotCategory category) =>
        TestData.Click(link, at: at, classification: category == BotCategory.Human ? ClickClassification.Human : new ClickClassification(category, ["test"]));

    private ParquetClickExporter Exporter(LinkTrackingDbContext? db = null)
    {
        db ??= Database.CreateContext();
        var options = Options.Create(new DatabaseOptions());
        return new(new ClickColumnReader(db, new ClickExportReader(db, options), options), Settings());
    }

    private static IOptions<ParquetExportOptions> Settings() =>
        Options.Create(new ParquetExportOptions { RowGroupSize = 1000, RowsPerFile = 1000 });

    private ParquetExportJob Job(TimeProvider time)
    {
        var services = new ServiceCollection();
        services.AddScoped(_ => Database.CreateContext());
        services.AddScoped(sp => Exporter(sp.GetRequiredService<LinkTrackingDbContext>()));
        var options = Settings();
        options.Value.Directory = _directory;
        return new ParquetExportJob(services.BuildServiceProvider().GetRequiredService<IServiceScopeFactory>(), options, time, NullLogger<ParquetExportJob>.Instance);
    }

    private async Task<Dictionary<(string, string), long>> StoredCountsAsync(DateTime from, DateTime to)
    {
        await using var db = Database.CreateContext();
        var rows = await db.Clicks.Where(c => c.ClickedAt >= from && c.ClickedAt < to).Select(c => new { c.ClickedAt, c.BotCategory }).ToListAsync();
        return rows.GroupBy(r => (r.ClickedAt.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), r.BotCategory.Name()))
            .ToDictionary(g => g.Key, g => (long)g.Count());
    }

    private Dictionary<(string, string), long> ReadBack()
    {
        using var duck = Open();
        using var command = duck.CreateCommand();
        command.CommandText = $"""
            SELECT CAST(date AS VARCHAR), bot_category, count(*)
            FROM read_parquet('{Glob()}', hive_partitioning = true)
            GROUP BY ALL
            """;
        using var reader = command.ExecuteReader();
        var counts = new Dictionary<(string, string), long>();
        while (reader.Read())
        {
            counts[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
        }

        return counts;
    }

    private string Glob() => Path.Combine(_directory, "**", "*.parquet").Replace("'", "''", StringComparison.Ordinal);

    private static DuckDBConnection Open()
    {
        var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        return connection;
    }
}
