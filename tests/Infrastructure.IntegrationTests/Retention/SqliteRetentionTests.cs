using LinkTracking.Infrastructure.Persistence;
using LinkTracking.Infrastructure.Retention;
using LinkTracking.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LinkTracking.Infrastructure.IntegrationTests.Retention;

/// <summary>SQLite keeps one table: <c>Retention:RawClickDays</c> deletes the rows older than the cutoff, in batches.</summary>
public sealed class SqliteRetentionTests
{
    [Test]
    public async Task Retention_DeletesEveryRowOlderThanTheCutoff_OverSeveralBatches_AndKeepsTheRest()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        var link = TestData.Link();
        await TestData.SaveLinksAsync(database, link);
        var now = new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
        var cutoff = now.AddDays(-30);
        var old = Enumerable.Range(1, SqliteRawClickRetention.BatchSize + 3).Select(i => TestData.Click(link, at: cutoff.AddSeconds(-i)));
        var kept = new[] { TestData.Click(link, at: cutoff), TestData.Click(link, at: cutoff.AddDays(1)) };
        await TestData.SaveClicksAsync(database, [.. old, .. kept]);
        var services = new ServiceCollection();
        services.AddScoped<LinkTrackingDbContext>(_ => database.CreateContext());
        services.AddScoped<IRawClickStorage, SqliteRawClickRetention>();
        var job = new RawClickMaintenanceJob(
            services.BuildServiceProvider().GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new RetentionOptions { RawClickDays = 30 }),
            new FakeTimeProvider(new DateTimeOffset(now)),
            NullLogger<RawClickMaintenanceJob>.Instance);

        var result = await job.RunOnceAsync(CancellationToken.None);

        await using var db = database.CreateContext();
        Assert.That(result, Is.EqualTo(new RetentionResult(0, SqliteRawClickRetention.BatchSize + 3)));
        Assert.That(await db.Clicks.Select(c => c.Id).ToListAsync(), Is.EquivalentTo(kept.Select(c => c.Id)));
    }
}
