using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using LinkTracking.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace LinkTracking.Infrastructure.IntegrationTests.Retention;

/// <summary>Migration PartitionedRawClicks on real PostgreSQL: today's unpartitioned table with rows in it, converted.</summary>
public sealed class PartitionMigrationTests
{
    [Test]
    public async Task Migrating_FromTheUnpartitionedTable_KeepsEveryRowAndItsEventKey()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Postgres, migrate: false);
        await using (var db = database.CreateContext())
        {
            await db.GetService<IMigrator>().MigrateAsync("ClickEnrichment");
        }

        var trackingId = TrackingId.NewId();
        var rows = new (Guid Id, DateTime At, string? EventId)[]
        {
            (Guid.CreateVersion7(), new DateTime(2024, 2, 29, 23, 59, 59, DateTimeKind.Utc), null),
            (Guid.CreateVersion7(), new DateTime(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc), null),
            (LinkClick.IdForEvent(trackingId, "evt-1"), new DateTime(2025, 11, 5, 12, 0, 0, DateTimeKind.Utc), "evt-1"),
        };
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            foreach (var (id, at, eventId) in rows)
            {
                await using var insert = new NpgsqlCommand("""
                    INSERT INTO link_clicks (id, tracking_id, clicked_at, click_source, event_id, is_bot, bot_category, country, browser)
                    VALUES ($1, $2, $3, 'direct', $4, false, 'human', 'DE', 'Firefox')
                    """, connection);
                insert.Parameters.Add(new NpgsqlParameter { Value = id });
                insert.Parameters.Add(new NpgsqlParameter { Value = trackingId.Value });
                insert.Parameters.Add(new NpgsqlParameter { Value = at });
                insert.Parameters.Add(new NpgsqlParameter { Value = (object?)eventId ?? DBNull.Value });
                await insert.ExecuteNonQueryAsync();
            }
        }

        await using (var db = database.CreateContext())
        {
            await db.Database.MigrateAsync();
        }

        var link = TrackedLink.Create(trackingId, TargetUrl.Create("https://example.com/"), "LinkedIn", null, null, null, null, null, TestData.Now);
        await TestData.SaveClicksAsync(database,
            TestData.Click(link, at: new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), eventId: "evt-1"),
            TestData.Click(link, at: new DateTime(2025, 11, 5, 12, 0, 0, DateTimeKind.Utc), eventId: "evt-1"));

        await using var check = database.CreateContext();
        var stored = await check.Clicks.AsNoTracking().OrderBy(c => c.ClickedAt).ToListAsync();
        var partitions = await check.Database.SqlQueryRaw<string>("SELECT tableoid::regclass::text AS \"Value\" FROM link_clicks ORDER BY clicked_at").ToListAsync();
        var partitioned = await check.Database.SqlQueryRaw<string>("SELECT partstrat::text AS \"Value\" FROM pg_partitioned_table WHERE partrelid = 'link_clicks'::regclass").SingleAsync();
        Assert.That(stored.Select(c => (c.Id, c.ClickedAt, c.EventId)), Is.EqualTo(rows));
        Assert.That(stored.Select(c => (c.Country, c.Browser)), Is.All.EqualTo(("DE", "Firefox")));
        Assert.That(partitions, Is.EqualTo(new[] { "link_clicks_2024_02", "link_clicks_2024_03", "link_clicks_2025_11" }));
        Assert.That(partitioned, Is.EqualTo("r"));
        Assert.That(await check.Database.GetPendingMigrationsAsync(), Is.Empty);
    }

    [Test]
    public async Task MigratingBack_ToTheUnpartitionedTable_KeepsEveryRow()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Postgres);
        var link = TestData.Link();
        await TestData.SaveLinksAsync(database, link);
        var clicks = new[]
        {
            TestData.Click(link, at: new DateTime(2019, 5, 4, 0, 0, 0, DateTimeKind.Utc), eventId: "evt-1"),
            TestData.Click(link, at: new DateTime(2026, 12, 24, 0, 0, 0, DateTimeKind.Utc)),
        };
        await TestData.SaveClicksAsync(database, clicks);

        await using (var db = database.CreateContext())
        {
            await db.GetService<IMigrator>().MigrateAsync("ClickEnrichment");
        }

        await using var check = database.CreateContext();
        var stored = await check.Clicks.AsNoTracking().OrderBy(c => c.ClickedAt).Select(c => c.Id).ToListAsync();
        var partitioned = await check.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM pg_partitioned_table").SingleAsync();
        var duplicateEvent = Assert.ThrowsAsync<PostgresException>(() => check.Database.ExecuteSqlRawAsync(
            "INSERT INTO link_clicks (id, tracking_id, clicked_at, click_source, event_id, is_bot, bot_category) VALUES (gen_random_uuid(), {0}, now(), 'direct', 'evt-1', false, 'human')",
            link.TrackingId.Value));
        Assert.That(stored, Is.EqualTo(clicks.Select(c => c.Id)));
        Assert.That(partitioned, Is.Zero);
        Assert.That(duplicateEvent!.SqlState, Is.EqualTo("23505"), "the unique (tracking_id, event_id) index is back");
    }
}
