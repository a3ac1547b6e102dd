using System.Net;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Analytics;
using LinkTracking.Infrastructure.Clicks;
using LinkTracking.Infrastructure.Persistence;
using LinkTracking.Infrastructure.Privacy;
using LinkTracking.Infrastructure.Retention;
using LinkTracking.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace LinkTracking.Infrastructure.IntegrationTests.Retention;

/// <summary>
/// The monthly partitions of <c>link_clicks</c> on real PostgreSQL (ADR 0010): where clicks land, partitions made
/// ahead and across a month boundary, the default partition, retention, and exactly-once storage across partitions.
/// </summary>
public sealed class ClickPartitionTests
{
    private TestDatabase _database = null!;

    [OneTimeSetUp]
    public async Task CreateDatabase() => _database = await TestDatabase.CreateAsync(TestProvider.Postgres);

    [OneTimeTearDown]
    public async Task DropDatabase() => await _database.DisposeAsync();

    [SetUp]
    public async Task Reset()
    {
        await _database.ResetAsync();
        foreach (var (name, month) in await Partitions().ListMonthlyPartitionsAsync(CancellationToken.None))
        {
            if (month.Year < 2026 || month.Year > 2027)
            {
                await ExecuteAsync($"DROP TABLE {name}");
            }
        }
    }

    [Test]
    public async Task Prepare_AcrossAMonthBoundary_CreatesTheNewMonthsAndClicksLandInTheirMonth()
    {
        var partitions = Partitions();
        var lastMinuteOfJanuary = new DateTime(2031, 1, 31, 23, 59, 0, DateTimeKind.Utc);

        await partitions.PrepareAsync(lastMinuteOfJanuary, 2, CancellationToken.None);
        var inJanuary = await MonthlyNamesFromAsync(2031);
        await partitions.PrepareAsync(lastMinuteOfJanuary.AddMinutes(1), 2, CancellationToken.None);
        var inFebruary = await MonthlyNamesFromAsync(2031);
        var link = await SavedLinkAsync();
        var beforeMidnight = TestData.Click(link, at: new DateTime(2031, 1, 31, 23, 59, 59, 999, DateTimeKind.Utc));
        var atMidnight = TestData.Click(link, at: new DateTime(2031, 2, 1, 0, 0, 0, DateTimeKind.Utc));
        await TestData.SaveClicksAsync(_database, beforeMidnight, atMidnight);

        Assert.That(inJanuary, Is.EqualTo(new[] { "link_clicks_2031_01", "link_clicks_2031_02", "link_clicks_2031_03" }));
        Assert.That(inFebruary, Is.EqualTo(new[] { "link_clicks_2031_01", "link_clicks_2031_02", "link_clicks_2031_03", "link_clicks_2031_04" }));
        Assert.That(await PartitionOfAsync(beforeMidnight), Is.EqualTo("link_clicks_2031_01"));
        Assert.That(await PartitionOfAsync(atMidnight), Is.EqualTo("link_clicks_2031_02"));
    }

    [Test]
    public async Task Prepare_ByTwoInstancesAtOnce_CreatesEachPartitionOnce()
    {
        var now = new DateTime(2032, 6, 15, 0, 0, 0, DateTimeKind.Utc);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Partitions().PrepareAsync(now, 3, CancellationToken.None)));

        Assert.That(await MonthlyNamesFromAsync(2032), Is.EqualTo(new[] { "link_clicks_2032_06", "link_clicks_2032_07", "link_clicks_2032_08", "link_clicks_2032_09" }));
    }

    [Test]
    public async Task AClickOfAMonthWithoutPartition_LandsInTheDefault_AndIsCountedExportedAndErased()
    {
        var link = await SavedLinkAsync();
        var late = TestData.Click(link, at: new DateTime(2019, 5, 4, 10, 0, 0, DateTimeKind.Utc), session: "s-late", ip: "203.0.113.80", eventId: "late-1");
        var current = TestData.Click(link, at: new DateTime(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc), session: "s-now", ip: "203.0.113.81");
        await TestData.SaveClicksAsync(_database, late, current);
        var landedIn = await PartitionOfAsync(late);

        await using var db = _database.CreateContext();
        var totals = await TestData.AnalyticsQueries(db)
            .GetLinkTotalsAsync(link.TrackingId.Value, new DateTime(2019, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 12, 2, 0, 0, 0, DateTimeKind.Utc), includeBots: true, CancellationToken.None);
        var exported = new List<Guid>();
        await foreach (var row in new ClickExportReader(db, Options.Create(new DatabaseOptions())).ReadAsync(new ClickExportFilter(TrackingId: link.TrackingId.Value), CancellationToken.None))
        {
            exported.Add(row.Id);
        }

        var erased = await new ClickPrivacyStore(db, TestData.Rollups(_database)).EraseAsync(new ClickErasureFilter(IPAddress.Parse("203.0.113.80"), null, null, null), CancellationToken.None);

        Assert.That(landedIn, Is.EqualTo(PostgresClickPartitions.DefaultPartition));
        Assert.That(totals.TotalClicks, Is.EqualTo(2));
        Assert.That(totals.FirstClick, Is.EqualTo(late.ClickedAt));
        Assert.That(exported, Is.EqualTo(new[] { late.Id, current.Id }));
        Assert.That(erased, Is.EqualTo(1));
        Assert.That(await db.Clicks.Select(c => c.Id).ToListAsync(), Is.EqualTo(new[] { current.Id }));
    }

    [Test]
    public async Task CreatingThePartitionOfAMonthHeldByTheDefault_MovesItsRowsIntoIt()
    {
        var link = await SavedLinkAsync();
        var inMay = TestData.Click(link, at: new DateTime(2019, 5, 4, 10, 0, 0, DateTimeKind.Utc), eventId: "may-1");
        var inJune = TestData.Click(link, at: new DateTime(2019, 6, 1, 0, 0, 0, DateTimeKind.Utc));
        await TestData.SaveClicksAsync(_database, inMay, inJune);

        var created = await Partitions().EnsurePartitionAsync(new DateTime(2019, 5, 20, 0, 0, 0, DateTimeKind.Utc), CancellationToken.None);
        var again = await Partitions().EnsurePartitionAsync(new DateTime(2019, 5, 1, 0, 0, 0, DateTimeKind.Utc), CancellationToken.None);
        await TestData.SaveClicksAsync(_database, TestData.Click(link, at: new DateTime(2019, 5, 30, 0, 0, 0, DateTimeKind.Utc), eventId: "may-1"));

        Assert.That(created, Is.True);
        Assert.That(again, Is.False);
        Assert.That(await PartitionOfAsync(inMay), Is.EqualTo("link_clicks_2019_05"));
        Assert.That(await PartitionOfAsync(inJune), Is.EqualTo(PostgresClickPartitions.DefaultPartition));
        Assert.That(await TestData.CountClicksAsync(_database), Is.EqualTo(2), "the moved click keeps its event key: a retry is still not stored again");
    }

    [Test]
    public async Task Retention_DropsOnlyMonthsEntirelyOlderThanTheCutoff()
    {
        var partitions = Partitions();
        var now = new DateTime(2020, 5, 10, 12, 0, 0, DateTimeKind.Utc);
        foreach (var month in new[] { 1, 2, 3, 4 })
        {
            await partitions.EnsurePartitionAsync(new DateTime(2020, month, 1, 0, 0, 0, DateTimeKind.Utc), CancellationToken.None);
        }

        var link = await SavedLinkAsync();
        LinkClick At(int month, int day, string? eventId = null) => TestData.Click(link, at: new DateTime(2020, month, day, 8, 0, 0, DateTimeKind.Utc), eventId: eventId);
        var january = At(1, 15, "jan");
        var february = At(2, 27);
        var marchBeforeCutoff = At(3, 2, "mar");
        var marchAfterCutoff = At(3, 30);
        var april = At(4, 1);
        var defaultOld = TestData.Click(link, at: new DateTime(2019, 11, 1, 0, 0, 0, DateTimeKind.Utc), eventId: "nov");
        var defaultNew = At(5, 9);
        await TestData.SaveClicksAsync(_database, january, february, marchBeforeCutoff, marchAfterCutoff, april, defaultOld, defaultNew);
        var job = Job(new FakeTimeProvider(new DateTimeOffset(now)), rawClickDays: 60); // cutoff 2020-03-11 12:00

        var result = await job.RunOnceAsync(CancellationToken.None);

        await using var db = _database.CreateContext();
        var left = await db.Clicks.Select(c => c.Id).ToListAsync();
        var keys = await ScalarListAsync<Guid>("SELECT id FROM link_click_event_keys");
        var months = (await partitions.ListMonthlyPartitionsAsync(CancellationToken.None)).Select(p => p.Name).Where(n => n.StartsWith("link_clicks_2020", StringComparison.Ordinal));
        Assert.That(result, Is.EqualTo(new RetentionResult(2, 1)));
        Assert.That(months, Is.EqualTo(new[] { "link_clicks_2020_03", "link_clicks_2020_04", "link_clicks_2020_05", "link_clicks_2020_06", "link_clicks_2020_07" }));
        Assert.That(left, Is.EquivalentTo(new[] { marchBeforeCutoff.Id, marchAfterCutoff.Id, april.Id, defaultNew.Id }));
        Assert.That(keys, Is.EqualTo(new[] { marchBeforeCutoff.Id }));
    }

    [Test]
    public async Task Retention_IsOffByDefault()
    {
        await Partitions().EnsurePartitionAsync(new DateTime(2018, 1, 1, 0, 0, 0, DateTimeKind.Utc), CancellationToken.None);
        var link = await SavedLinkAsync();
        await TestData.SaveClicksAsync(_database, TestData.Click(link, at: new DateTime(2018, 1, 2, 0, 0, 0, DateTimeKind.Utc)));

        var result = await Job(new FakeTimeProvider(new DateTimeOffset(new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc))), rawClickDays: null).RunOnceAsync(CancellationToken.None);

        Assert.That(result, Is.EqualTo(new RetentionResult(0, 0)));
        Assert.That(await TestData.CountClicksAsync(_database), Is.EqualTo(1));
    }

    [Test]
    public async Task ReplaysAndEventRetriesAcrossPartitions_AreStoredOnce([Values(10, PostgresClickBatchWriter.CopyThreshold + 10)] int batchSize)
    {
        // Below the COPY threshold the INSERT path runs; above it the COPY path (falling back to the INSERT on a repeat).
        var link = await SavedLinkAsync();
        var december = new DateTime(2026, 12, 31, 23, 59, 0, DateTimeKind.Utc);
        var batch = Enumerable.Range(0, batchSize)
            .Select(i => TestData.Click(link, at: december.AddSeconds(i * 10), eventId: i % 2 == 0 ? $"evt-{i}" : null))
            .ToList();
        var writer = TestData.Writer(_database);
        await writer.WriteAsync(batch, CancellationToken.None);

        await writer.WriteAsync(batch, CancellationToken.None); // a replay: same ids, same times
        var retries = batch.Where(c => c.EventId is not null)
            .Select(c => TestData.Click(link, at: new DateTime(2019, 3, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(c.ClickedAt.Second), eventId: c.EventId))
            .ToList();
        await writer.WriteAsync(retries, CancellationToken.None); // partner retries: same event ids, another month
        var sameBatchRetry = TestData.Click(link, at: new DateTime(2027, 2, 1, 0, 0, 0, DateTimeKind.Utc), eventId: "evt-new");
        var sameBatchRetryLater = TestData.Click(link, at: new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc), eventId: "evt-new");
        await writer.WriteAsync([.. batch.Take(3), sameBatchRetry, sameBatchRetryLater, .. retries.Take(2)], CancellationToken.None);

        await using var db = _database.CreateContext();
        var stored = await db.Clicks.AsNoTracking().ToListAsync();
        Assert.That(stored.Select(c => c.Id), Is.Unique);
        Assert.That(stored, Has.Count.EqualTo(batchSize + 1));
        Assert.That(stored.Where(c => c.EventId is not null).Select(c => c.ClickedAt), Is.All.GreaterThanOrEqualTo(december));
        Assert.That(await PartitionOfAsync(batch[^1]), Is.EqualTo("link_clicks_2027_01"));
        Assert.That(await PartitionOfAsync(batch[0]), Is.EqualTo("link_clicks_2026_12"));
    }

    [Test]
    public async Task ABurstAcrossAMonthBoundary_IsReclassifiedInBothPartitions()
    {
        var application = Guid.NewGuid();
        var links = new[] { "LinkedIn", "Calendly", "Portfolio" }.Select(f => TestData.Link(f, applicationId: application)).ToArray();
        await TestData.SaveLinksAsync(_database, links);
        var midnight = new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var burst = links.Select((l, i) => LinkClick.Record(new ClickDetails(l.TrackingId, midnight.AddSeconds(i - 1), IPAddress.Parse("198.51.100.7"), "Mozilla/5.0", null, null, ClickSource.Direct, null, null, null)
        {
            Origin = "198.51.100.0/24",
        })).ToList();
        var services = new ServiceCollection();
        services.AddScoped<LinkTrackingDbContext>(_ => _database.CreateContext());
        var reclassifier = new ClickReclassifier(services.BuildServiceProvider().GetRequiredService<IServiceScopeFactory>(), Options.Create(new ClickClassificationOptions()), TestData.Rollups(_database), TestData.EarnedSignals(_database));

        await new ReclassifyingTestWriter(TestData.Writer(_database), reclassifier).WriteAsync(burst, CancellationToken.None);

        await using var db = _database.CreateContext();
        var stored = await db.Clicks.AsNoTracking().OrderBy(c => c.ClickedAt).ToListAsync();
        Assert.That(await PartitionOfAsync(burst[0]), Is.EqualTo("link_clicks_2026_12"));
        Assert.That(await PartitionOfAsync(burst[2]), Is.EqualTo("link_clicks_2027_01"));
        Assert.That(stored.Select(c => (c.BotCategory, c.Signals)), Is.All.EqualTo((BotCategory.Scanner, (string?)"burst")));
    }

    private PostgresClickPartitions Partitions() =>
        new(NpgsqlDataSource.Create(_database.ConnectionString), NullLogger<PostgresClickPartitions>.Instance);

    private RawClickMaintenanceJob Job(TimeProvider time, int? rawClickDays)
    {
        var services = new ServiceCollection();
        services.AddScoped<IRawClickStorage>(_ => Partitions());
        return new RawClickMaintenanceJob(
            services.BuildServiceProvider().GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new RetentionOptions { RawClickDays = rawClickDays }),
            time,
            NullLogger<RawClickMaintenanceJob>.Instance);
    }

    private async Task<TrackedLink> SavedLinkAsync()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(_database, link);
        return link;
    }

    private async Task<string> PartitionOfAsync(LinkClick click) =>
        (await ScalarListAsync<string>($"SELECT tableoid::regclass::text FROM link_clicks WHERE id = '{click.Id}'")).Single();

    private async Task<List<string>> MonthlyNamesFromAsync(int year) =>
        (await Partitions().ListMonthlyPartitionsAsync(CancellationToken.None)).Where(p => p.Month.Year == year).Select(p => p.Name).ToList();

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<List<T>> ScalarListAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<T>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetFieldValue<T>(0));
        }

        return values;
    }
}
