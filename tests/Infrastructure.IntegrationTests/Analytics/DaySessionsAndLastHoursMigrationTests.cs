using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Analytics.Rollups;
using LinkTracking.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace LinkTracking.Infrastructure.IntegrationTests.Analytics;

/// <summary>
/// Migrations DailySessions and LastClickHours on both providers: the key histogram's gap rows already stored are
/// summed into their UTC days, and each link's last hours come from its stored rollups.
/// </summary>
public sealed class DaySessionsAndLastHoursMigrationTests
{
    [TestCase(TestProvider.Postgres)]
    [TestCase(TestProvider.Sqlite)]
    public async Task Migrating_CountsEachUtcDaysSessions_AndEachLinksLastHours(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, migrate: false);
        var link = TrackingId.NewId().Value;
        await using (var db = database.CreateContext())
        {
            await db.GetService<IMigrator>().MigrateAsync("DailyRollups");
            // A key first seen at 22:00 (in its day), again at 01:00 (3 hours later: in the new day), and one seen at
            // 03:00 and again at 05:00 (2 hours later: already counted that day).
            await HistogramAsync(db, At(11, 30, 22), DistinctScopes.MaxGap, 1, 1);
            await HistogramAsync(db, At(12, 1, 1), 3, 1, 1);
            await HistogramAsync(db, At(12, 1, 3), DistinctScopes.MaxGap, 0, 1);
            await HistogramAsync(db, At(12, 1, 5), 2, 0, 1);
            await HistogramAsync(db, At(12, 1, 5), DistinctScopes.LastSeen, 1, 2);
            await RollupAsync(db, link, At(11, 30, 22), "human", 2, 1);
            await RollupAsync(db, link, At(12, 1, 0), "crawler", 0, 3);
            await db.Database.MigrateAsync();
        }

        await using var check = database.CreateContext();
        var days = (await check.ClickKeyHistograms.AsNoTracking().Where(h => h.Gap == DistinctScopes.UtcDay).ToListAsync())
            .Select(h => (h.Scope, Day: DateTime.SpecifyKind(h.Hour, DateTimeKind.Utc), h.HumanKeys, h.AllKeys))
            .OrderBy(h => h.Day)
            .ToList();
        var lastHours = (await check.ClickLastHours.AsNoTracking().ToListAsync())
            .Select(h => (h.TrackingId.Value, Human: Utc(h.LastHumanHour), Any: Utc(h.LastHour)))
            .ToList();
        Assert.Multiple(() =>
        {
            Assert.That(days, Is.EqualTo(new[] { (DistinctScopes.All, At(11, 30, 0), 1, 1), (DistinctScopes.All, At(12, 1, 0), 1, 2) }));
            Assert.That(lastHours, Is.EqualTo(new[] { (link, (DateTime?)At(11, 30, 22), (DateTime?)At(12, 1, 0)) }));
        });
        Assert.That(await check.Database.GetPendingMigrationsAsync(), Is.Empty);
    }

    private static DateTime At(int month, int day, int hour) => new(2026, month, day, hour, 0, 0, DateTimeKind.Utc);

    private static DateTime? Utc(DateTime? time) => time is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : null;

    private static Task<int> HistogramAsync(DbContext db, DateTime hour, int gap, int human, int all) => db.Database.ExecuteSqlRawAsync(
        "INSERT INTO link_click_key_histogram (scope, kind, hour, gap, human_keys, all_keys) VALUES ({0}, 's', {1}, {2}, {3}, {4})",
        DistinctScopes.All, hour, gap, human, all);

    private static Task<int> RollupAsync(DbContext db, string link, DateTime hour, string category, int human, int bot) => db.Database.ExecuteSqlRawAsync(
        "INSERT INTO link_click_rollups (tracking_id, hour, dimension, value, human_clicks, bot_clicks) VALUES ({0}, {1}, 'category', {2}, {3}, {4})",
        link, hour, category, human, bot);
}
