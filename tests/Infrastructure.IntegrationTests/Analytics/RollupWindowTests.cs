using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Analytics.Rollups;
using LinkTracking.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LinkTracking.Infrastructure.IntegrationTests.Analytics;

/// <summary>
/// The rollup worker's window is safe (ADR 0021): with writers committing concurrently — on PostgreSQL one of them
/// holding its transaction open across rounds — and rounds running on two "nodes" at once, every click is counted
/// exactly once, and the counts equal those rebuilt from the raw rows.
/// </summary>
public sealed class RollupWindowTests(TestProvider provider) : DatabaseFixture(provider)
{
    [Test]
    public async Task ConcurrentWritersAndASlowOne_WithRoundsOnTwoNodes_CountEveryClickExactlyOnce()
    {
        var links = new[] { TestData.Link("Portfolio", applicationId: Guid.NewGuid()), TestData.Link("LinkedIn") };
        await TestData.SaveLinksAsync(Database, links);
        using var stop = new CancellationTokenSource();
        var rounds = new int[2];
        var refused = 0;
        var nodes = Enumerable.Range(0, 2).Select(node => Task.Run(async () =>
        {
            var store = TestData.Rollups(Database);
            while (!stop.IsCancellationRequested)
            {
                if (await RollUpAsync(store) is null)
                {
                    Interlocked.Increment(ref refused);
                }

                rounds[node]++;
                await Task.Delay(10);
            }
        })).ToList();

        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            var writer = TestData.RawWriter(Database);
            for (var batch = 0; batch < 40; batch++)
            {
                var size = random.Next(4) == 0 ? 300 : 1 + random.Next(40);
                await writer.WriteAsync(Enumerable.Range(0, size).Select(_ => Click(random, links)).ToList(), CancellationToken.None);
                await Task.Delay(random.Next(30));
            }
        })).ToList();
        if (Provider == TestProvider.Postgres)
        {
            writers.Add(SlowWriterAsync(links[0], TimeSpan.FromSeconds(3)));
        }

        await Task.WhenAll(writers);
        await stop.CancelAsync();
        await Task.WhenAll(nodes);
        while (await RollUpAsync(TestData.Rollups(Database)) is null)
        {
        }

        var maintained = await CategoriesAsync();
        var stored = await TestData.CountClicksAsync(Database);
        await using (var db = Database.CreateContext())
        {
            await new ClickRollupRebuilder(db, TestData.Rollups(Database)).RebuildAsync(CancellationToken.None);
        }

        var rebuilt = await CategoriesAsync();
        Assert.Multiple(() =>
        {
            Assert.That(rounds, Has.All.GreaterThan(2), "both nodes ran rounds while the writers wrote");
            Assert.That(maintained.Sum(r => r.Clicks), Is.EqualTo(stored), "every stored click is counted once");
            Assert.That(maintained, Is.EqualTo(rebuilt));
            if (Provider == TestProvider.Postgres)
            {
                Assert.That(refused, Is.GreaterThan(0), "rounds met the slow writer's open transaction and left its clicks for later");
            }
        });
    }

    /// <summary>Inserts clicks in a transaction it keeps open (their numbers taken early), then commits.</summary>
    private async Task SlowWriterAsync(TrackedLink link, TimeSpan hold)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO link_clicks (id, tracking_id, clicked_at, click_source, is_bot, bot_category, session_id)
            SELECT gen_random_uuid(), $1, $2, 'direct', false, 'human', 'slow-' || g FROM generate_series(1, 50) AS g
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue(link.TrackingId.Value);
            insert.Parameters.AddWithValue(TestData.Now);
            await insert.ExecuteNonQueryAsync();
        }

        await Task.Delay(hold);
        await transaction.CommitAsync();
    }

    private async Task<RollupRound?> RollUpAsync(IClickRollupStore store)
    {
        await using var db = Database.CreateContext();
        await db.Database.OpenConnectionAsync();
        return await store.RollUpAsync(db.Database.GetDbConnection(), TimeProvider.System, null, CancellationToken.None);
    }

    private async Task<List<(string TrackingId, DateTime Hour, string Value, int Clicks)>> CategoriesAsync()
    {
        await using var db = Database.CreateContext();
        return (await db.ClickRollups.AsNoTracking().Where(r => r.Dimension == RollupDimensions.Category).ToListAsync())
            .Select(r => (r.TrackingId.Value, DateTime.SpecifyKind(r.Hour, DateTimeKind.Utc), r.Value, r.HumanClicks + r.BotClicks))
            .OrderBy(r => r.Item1, StringComparer.Ordinal).ThenBy(r => r.Item2).ThenBy(r => r.Item3, StringComparer.Ordinal)
            .ToList();
    }

    private static LinkClick Click(Random random, TrackedLink[] links) => TestData.Click(
        links[random.Next(links.Length)],
        TestData.Now.AddMinutes(-random.Next(3 * 24 * 60)),
        session: $"s{random.Next(500)}",
        classification: random.Next(4) == 0 ? ClickClassification.Bot(BotCategory.Crawler, "agent_list") : null);
}
