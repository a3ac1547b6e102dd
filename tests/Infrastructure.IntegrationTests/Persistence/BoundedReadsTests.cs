using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Infrastructure.Analytics;
using LinkTracking.Tests.Shared;
using Npgsql;

namespace LinkTracking.Infrastructure.IntegrationTests.Persistence;

/// <summary>
/// Analytics reads are bounded by <c>Database:QueryTimeout</c>: a read blocked by a real lock gives up with
/// <see cref="DatabaseTimeoutException"/>, and on PostgreSQL the statement stops on the server too, whether the time ran
/// out or the caller went away.
/// </summary>
public sealed class BoundedReadsTests(TestProvider provider) : DatabaseFixture(provider)
{
    [Test]
    public async Task Read_BlockedPastTheQueryTimeout_ThrowsDatabaseTimeoutException()
    {
        await using var held = await Database.LockClicksAsync();
        await using var db = Database.CreateContext();
        var queries = new LinkAnalyticsQueries(db, TestData.Reads(db, TimeSpan.FromMilliseconds(300)), TestData.DistinctKeys(db));

        var error = Assert.ThrowsAsync<DatabaseTimeoutException>(() => queries.GetScopeTotalsAsync(LinkScope.All, null, false, CancellationToken.None));

        Assert.That(error!.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(250)).And.LessThan(TimeSpan.FromSeconds(10)));
    }

    [Test]
    public async Task Read_BlockedPastTheQueryTimeout_LeavesNoStatementWaitingOnTheServer()
    {
        RequirePostgres();
        await using var held = await Database.LockClicksAsync();
        await using var db = Database.CreateContext();
        var queries = new LinkAnalyticsQueries(db, TestData.Reads(db, TimeSpan.FromMilliseconds(300)), TestData.DistinctKeys(db));

        Assert.ThrowsAsync<DatabaseTimeoutException>(() => queries.GetScopeTotalsAsync(LinkScope.All, null, false, CancellationToken.None));

        Assert.That(await WaitForLockWaitersAsync(0), Is.Zero);
    }

    [Test]
    public async Task Read_CancelledByTheCaller_IsACancellation_AndStopsTheStatementOnTheServer()
    {
        RequirePostgres();
        await using var held = await Database.LockClicksAsync();
        await using var db = Database.CreateContext();
        var queries = new LinkAnalyticsQueries(db, TestData.Reads(db, TimeSpan.FromMinutes(5)), TestData.DistinctKeys(db));
        using var clientGone = new CancellationTokenSource();

        var read = queries.GetScopeTotalsAsync(LinkScope.All, null, false, clientGone.Token);
        var waiting = await WaitForLockWaitersAsync(1);
        await clientGone.CancelAsync();

        Assert.That(waiting, Is.EqualTo(1), "the read should have been waiting for the lock");
        Assert.That(async () => await read, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(await WaitForLockWaitersAsync(0), Is.Zero);
    }

    private void RequirePostgres()
    {
        if (Provider != TestProvider.Postgres)
        {
            Assert.Ignore("SQLite has no server whose statements could outlive the request.");
        }
    }

    /// <summary>Polls (up to 10 s) until <paramref name="expected"/> backends of this database wait for a lock; returns the last count.</summary>
    private async Task<long> WaitForLockWaitersAsync(long expected)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'",
            connection);
        long count = -1;
        for (var i = 0; i < 100; i++)
        {
            count = (long)(await command.ExecuteScalarAsync())!;
            if (count == expected)
            {
                break;
            }

            await Task.Delay(100);
        }

        return count;
    }
}
