using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Analytics.Rollups;
using LinkTracking.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace LinkTracking.Infrastructure.IntegrationTests.Analytics;

/// <summary>Migration DailyRollups on both providers: the hourly rollups already stored are summed into their UTC days.</summary>
public sealed class DailyRollupsMigrationTests
{
    [TestCase(TestProvider.Postgres)]
    [TestCase(TestProvider.Sqlite)]
    public async Task Migrating_SumsTheStoredHourlyRollupsOfLinksAndScopesIntoTheirUtcDays(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, migrate: false);
        var link = TrackingId.NewId().Value;
        const string job = "j:0a0a0a0a-4444-4b4b-8b8b-000000000002";
        await using (var db = database.CreateContext())
        {
            await db.GetService<IMigrator>().MigrateAsync("ScopeRollupsAndKeyHistogram");
            await InsertAsync(db, LinkRow, link, At(11, 30, 22), "category", "human", 2, 1);
            await InsertAsync(db, LinkRow, link, At(11, 30, 23), "category", "human", 3, 0);
            await InsertAsync(db, LinkRow, link, At(12, 1, 0), "category", "human", 1, 0);
            await InsertAsync(db, LinkRow, link, At(11, 30, 23), "country", "DE", 5, 1);
            await InsertAsync(db, ScopeRow, job, At(11, 30, 23), "category", "human", 3, 0);
            await InsertAsync(db, ScopeRow, job, At(12, 1, 5), "category", "crawler", 0, 4);
            await db.Database.MigrateAsync();
        }

        await using var check = database.CreateContext();
        var days = (await check.ClickDailyRollups.AsNoTracking().ToListAsync())
            .Select(r => (r.Scope, Day: DateTime.SpecifyKind(r.Day, DateTimeKind.Utc), r.Dimension, r.Value, r.HumanClicks, r.BotClicks))
            .OrderBy(r => r.Scope, StringComparer.Ordinal).ThenBy(r => r.Dimension, StringComparer.Ordinal).ThenBy(r => r.Day)
            .ToList();
        Assert.That(days, Is.EqualTo(new[]
        {
            (job, At(11, 30, 0), "category", "human", 3, 0),
            (job, At(12, 1, 0), "category", "crawler", 0, 4),
            (DistinctScopes.Link(link), At(11, 30, 0), "category", "human", 5, 1),
            (DistinctScopes.Link(link), At(12, 1, 0), "category", "human", 1, 0),
            (DistinctScopes.Link(link), At(11, 30, 0), "country", "DE", 5, 1),
        }));
        Assert.That(await check.Database.GetPendingMigrationsAsync(), Is.Empty);
    }

    private const string LinkRow =
        "INSERT INTO link_click_rollups (tracking_id, hour, dimension, value, human_clicks, bot_clicks) VALUES ({0}, {1}, {2}, {3}, {4}, {5})";

    private const string ScopeRow =
        "INSERT INTO link_click_scope_rollups (scope, hour, dimension, value, human_clicks, bot_clicks) VALUES ({0}, {1}, {2}, {3}, {4}, {5})";

    private static DateTime At(int month, int day, int hour) => new(2026, month, day, hour, 0, 0, DateTimeKind.Utc);

    private static Task<int> InsertAsync(
        DbContext db, string sql, string owner, DateTime hour, string dimension, string value, int human, int bot) =>
        db.Database.ExecuteSqlRawAsync(sql, owner, hour, dimension, value, human, bot);
}
