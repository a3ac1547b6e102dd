using System.Diagnostics;
using System.Net;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;
using LinkTracking.WebApi.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// A query that outlives <c>Database:QueryTimeout</c> answers 503 with <c>Retry-After</c>, not 500, and the service
/// answers normally again once the database does. The slowness is real: another connection holds a lock the report
/// needs (PostgreSQL: <c>LOCK TABLE link_clicks IN ACCESS EXCLUSIVE MODE</c>; SQLite: an exclusive lock on the file).
/// </summary>
public sealed class DatabaseTimeoutTests(TestProvider provider) : ApiFixture(provider)
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromMilliseconds(500);

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Database:QueryTimeout"] = QueryTimeout.ToString(),
    };

    [Test]
    public async Task Report_WhileAnotherConnectionLocksTheClicks_Answers503ProblemWithRetryAfter()
    {
        await SeedOneClickAsync();
        await using var lockHolder = await LockClicksAsync();
        var clock = Stopwatch.StartNew();

        using var response = await Admin.GetAsync($"{Api}/report?days=30");

        var problem = await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero), "Retry-After");
            Assert.That(problem.GetProperty("detail").GetString(), Is.EqualTo(ProblemDetailsExceptionHandler.DatabaseTimeoutDetail));
            // Given up at the query timeout, not at a provider's default of 30 s.
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        });
    }

    [Test]
    public async Task Report_AfterTheLockIsReleased_AnswersAgain()
    {
        await SeedOneClickAsync();
        await using (var lockHolder = await LockClicksAsync())
        {
            using var refused = await Admin.GetAsync($"{Api}/report?days=30");
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        }

        var report = await GetJsonAsync($"{Api}/report?days=30");

        Assert.That(report.GetProperty("overall_statistics").GetProperty("total_clicks").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task Report_WithoutALock_IsWellWithinTheQueryTimeout()
    {
        await SeedOneClickAsync();

        var report = await GetJsonAsync($"{Api}/report?days=30");

        Assert.That(report.GetProperty("overall_statistics").GetProperty("total_clicks").GetInt32(), Is.EqualTo(1));
    }

    /// <summary>One stored click (moved into the database, so nothing waits on the locked table but the query itself).</summary>
    private async Task SeedOneClickAsync()
    {
        var trackingId = await CreateLinkIdAsync();
        await SeedClicksAsync(Click(trackingId, TimeSpan.FromHours(1), sessionId: "s1"));
        await Factory.FlushClicksAsync();
    }

    /// <summary>Takes a lock that makes every read of <c>link_clicks</c> wait, held until disposed.</summary>
    private async Task<IAsyncDisposable> LockClicksAsync()
    {
        if (Provider == TestProvider.Postgres)
        {
            var connection = new NpgsqlConnection(Factory.Database.ConnectionString);
            await connection.OpenAsync();
            var transaction = await connection.BeginTransactionAsync();
            await using (var command = new NpgsqlCommand("LOCK TABLE link_clicks IN ACCESS EXCLUSIVE MODE", connection, transaction))
            {
                await command.ExecuteNonQueryAsync();
            }

            return new HeldLock(async () =>
            {
                await transaction.RollbackAsync();
                await connection.DisposeAsync();
            });
        }

        // In WAL mode readers do not wait for a writer; a connection in exclusive locking mode that has written keeps
        // every other connection out (SQLITE_BUSY) until it closes.
        var sqlite = new SqliteConnection(Factory.Database.ConnectionString);
        await sqlite.OpenAsync();
        await using (var command = sqlite.CreateCommand())
        {
            command.CommandText = "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; DELETE FROM link_clicks WHERE 0;";
            await command.ExecuteNonQueryAsync();
        }

        return new HeldLock(async () =>
        {
            await using (var command = sqlite.CreateCommand())
            {
                command.CommandText = "ROLLBACK; PRAGMA locking_mode=NORMAL;";
                await command.ExecuteNonQueryAsync();
            }

            await sqlite.DisposeAsync();
        });
    }

    private sealed class HeldLock(Func<Task> release) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await release();
    }
}
