using LinkTracking.Infrastructure.Analytics.Rollups;
using LinkTracking.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace LinkTracking.Infrastructure.IntegrationTests.Analytics;

/// <summary>
/// Migration ClicksAfterCommit on both providers (ADR 0021): the clicks stored before it keep their counts (rebuilt
/// from the raw rows, distinct sessions included), the tables it replaces are gone, and a click written after it is
/// counted once by the worker, on top of the old ones.
/// </summary>
public sealed class ClicksAfterCommitMigrationTests
{
    [TestCase(TestProvider.Postgres)]
    [TestCase(TestProvider.Sqlite)]
    public async Task Migrating_CountsTheStoredClicksFromTheirRawRows_AndTheWorkerAddsNewOnesOnce(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, migrate: false);
        var link = TestData.Link("Portfolio", applicationId: Guid.NewGuid());
        await using (var db = database.CreateContext())
        {
            await db.GetService<IMigrator>().MigrateAsync("LastClickHours");
        }

        await using (var db = database.CreateContext())
        {
            // The link as that schema has it: the current model has columns added since (domain, short_code), so it
            // is inserted by hand rather than through the model.
            object Id(Guid id) => provider == TestProvider.Postgres ? id : id.ToString().ToUpperInvariant();
            await db.Database.ExecuteSqlRawAsync(
                """
                INSERT INTO link_tracking (id, tracking_id, original_url, link_function, link_type, application_id, created_by, created_at, updated_at, is_active)
                VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9})
                """,
                Id(link.Id), link.TrackingId.Value, link.OriginalUrl.Value, link.LinkFunction, link.LinkType, Id(link.ApplicationId!.Value),
                link.CreatedBy, link.CreatedAt, link.UpdatedAt, link.IsActive);
            for (var i = 0; i < 5; i++)
            {
                // Three sessions; the last click a crawler's.
                await db.Database.ExecuteSqlRawAsync(
                    """
                    INSERT INTO link_clicks (id, tracking_id, clicked_at, click_source, is_bot, bot_category, session_id)
                    VALUES ({0}, {1}, {2}, 'direct', {3}, {4}, {5})
                    """,
                    provider == TestProvider.Postgres ? Guid.NewGuid() : Guid.NewGuid().ToString().ToUpperInvariant(),
                    link.TrackingId.Value,
                    TestData.Now.AddHours(-i),
                    i == 4,
                    i == 4 ? "crawler" : "human",
                    $"session-{i % 3}");
            }

            await db.Database.MigrateAsync();
        }

        await TestData.SaveClicksAsync(database, TestData.Click(link, TestData.Now.AddMinutes(-5), session: "session-new"));

        await using var check = database.CreateContext();
        var categories = await check.ClickRollups.AsNoTracking()
            .Where(r => r.TrackingId == link.TrackingId && r.Dimension == RollupDimensions.Category)
            .GroupBy(r => r.Value)
            .Select(g => new { g.Key, Clicks = g.Sum(r => r.HumanClicks + r.BotClicks) })
            .ToDictionaryAsync(g => g.Key, g => g.Clicks);
        var sessions = await TestData.DistinctKeys(check).CountAsync(
            Application.Common.Interfaces.LinkScope.ForLink(link.TrackingId.Value), null, null, RollupDimensions.SessionKind, includeBots: false, CancellationToken.None);
        var tables = await check.Database.SqlQueryRaw<string>(provider == TestProvider.Postgres
                ? "SELECT table_name AS \"Value\" FROM information_schema.tables WHERE table_schema = 'public'"
                : "SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'table'")
            .ToListAsync();
        Assert.Multiple(() =>
        {
            Assert.That(categories, Is.EquivalentTo(new Dictionary<string, int> { ["human"] = 5, ["crawler"] = 1 }));
            Assert.That(sessions, Is.EqualTo(4), "three sessions of human clicks before, and the new click's");
            Assert.That(tables, Has.None.EqualTo("link_click_key_histogram").And.None.EqualTo("link_click_last_hours"));
            Assert.That(tables, Has.Member("click_rollup_state"));
        });
        Assert.That(await check.Database.GetPendingMigrationsAsync(), Is.Empty);
    }
}
