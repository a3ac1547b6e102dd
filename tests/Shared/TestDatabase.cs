using System.Data.Common;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Respawn;
using Respawn.Graph;

namespace LinkTracking.Tests.Shared;

public enum TestProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// A fresh, migrated database for one test fixture: a temporary SQLite file, or a new database on the
/// PostgreSQL server named by <c>LINKTRACKING_TEST_POSTGRES</c> (test.sh starts a private one).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "LINKTRACKING_TEST_POSTGRES";

    private readonly string? _directory;
    private readonly string? _adminConnectionString;
    private readonly string? _databaseName;
    private Respawner? _respawner;

    private TestDatabase(TestProvider provider, string connectionString, string? directory, string? adminConnectionString, string? databaseName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _directory = directory;
        _adminConnectionString = adminConnectionString;
        _databaseName = databaseName;
    }

    public TestProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>The value of <c>Database:Provider</c> for this database.</summary>
    public string ProviderSetting => Provider == TestProvider.Postgres ? "Postgres" : "Sqlite";

    public static string PostgresAdminConnectionString =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{PostgresVariable} is not set. Run ./test.sh, which starts a private PostgreSQL, or point it at a server you own.");

    public static async Task<TestDatabase> CreateAsync(TestProvider provider, bool migrate = true)
    {
        TestDatabase database;
        if (provider == TestProvider.Sqlite)
        {
            var directory = Directory.CreateTempSubdirectory("linktracking-test-").FullName;
            var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "test.db"), Pooling = false }.ToString();
            database = new TestDatabase(provider, connectionString, directory, null, null);
        }
        else
        {
            var admin = PostgresAdminConnectionString;
            var name = "lt_test_" + Guid.NewGuid().ToString("N")[..16];
            await using (var connection = new NpgsqlConnection(admin))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
                await command.ExecuteNonQueryAsync();
            }

            var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString();
            database = new TestDatabase(provider, connectionString, null, admin, name);
        }

        if (migrate)
        {
            await using var db = database.CreateContext();
            await db.Database.MigrateAsync();
        }

        return database;
    }

    public LinkTrackingDbContext CreateContext() => Provider == TestProvider.Postgres
        ? new PostgresLinkTrackingDbContext(new DbContextOptionsBuilder<PostgresLinkTrackingDbContext>()
            .UseNpgsql(ConnectionString).UseSnakeCaseNamingConvention().Options)
        : new SqliteLinkTrackingDbContext(new DbContextOptionsBuilder<SqliteLinkTrackingDbContext>()
            .UseSqlite(ConnectionString).UseSnakeCaseNamingConvention().Options);

    /// <summary>
    /// Empties every table but the API keys and the migration history (Respawn), so a test starts from a known empty
    /// state; a table added by a later migration is emptied too without being listed here. On PostgreSQL Respawn
    /// truncates all tables in one statement (a partitioned <c>link_clicks</c> with its partitions); the service under
    /// test taking its own locks meanwhile (partition upkeep at start-up, the mover) can make that a deadlock, which
    /// PostgreSQL resolves by failing one side, and a test may have dropped a partition the table list still names:
    /// either way the list is read again and the reset tried again.
    /// </summary>
    public async Task ResetAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ResetOnceAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.UndefinedTable && attempt < 5)
            {
                _respawner = null;
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt));
            }
        }
    }

    private async Task ResetOnceAsync()
    {
        await using DbConnection connection = Provider == TestProvider.Postgres ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        _respawner ??= await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = Provider == TestProvider.Postgres ? DbAdapter.Postgres : DbAdapter.Sqlite,
            SchemasToInclude = Provider == TestProvider.Postgres ? ["public"] : [],
            // Keys stay, and with them their dashboard sessions (a browser signed in once per fixture stays signed in); the
            // rollup watermark stays (ADR 0021): the clicks' numbers only grow, and the deleted clicks count nothing.
            TablesToIgnore = [new Table("__EFMigrationsHistory"), new Table("api_keys"), new Table("dashboard_sessions"), new Table("click_rollup_state")],
        });

        // PostgreSQL: hold the watermark while the tables are emptied, so a service's rollup round still counting the
        // last test's clicks finishes before the reset or starts after it (SQLite's one writer does the same).
        await using var watermark = Provider == TestProvider.Postgres ? new NpgsqlConnection(ConnectionString) : null;
        NpgsqlTransaction? hold = null;
        if (watermark is not null)
        {
            await watermark.OpenAsync();
            hold = await watermark.BeginTransactionAsync();
            await using var command = new NpgsqlCommand("SELECT rolled_seq FROM click_rollup_state WHERE id = 1 FOR UPDATE", watermark, hold);
            await command.ExecuteNonQueryAsync();
        }

        await _respawner.ResetAsync(connection);
        if (hold is not null)
        {
            await hold.CommitAsync();
            await hold.DisposeAsync();
        }
    }

    /// <summary>
    /// Takes a lock, from a connection of its own, that makes every read of <c>link_clicks</c> and its rollups wait until
    /// the returned handle is disposed: a real slow query. PostgreSQL: <c>LOCK TABLE link_clicks, … IN ACCESS EXCLUSIVE MODE</c> in an
    /// open transaction. SQLite (WAL, where readers do not wait for a writer): a connection in exclusive locking mode that
    /// has written keeps every other connection out of the file (SQLITE_BUSY).
    /// </summary>
    public async Task<IAsyncDisposable> LockClicksAsync()
    {
        if (Provider == TestProvider.Postgres)
        {
            var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            var transaction = await connection.BeginTransactionAsync();
            await using (var command = new NpgsqlCommand("LOCK TABLE link_clicks, link_click_rollups, link_click_scope_rollups, link_click_daily_rollups, link_click_monthly_rollups, link_click_totals, link_click_sketches, link_click_daily_sketches, link_click_monthly_sketches IN ACCESS EXCLUSIVE MODE", connection, transaction))
            {
                await command.ExecuteNonQueryAsync();
            }

            return new HeldLock(async () =>
            {
                await transaction.RollbackAsync();
                await connection.DisposeAsync();
            });
        }

        var sqlite = new SqliteConnection(ConnectionString);
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

    public async ValueTask DisposeAsync()
    {
        if (_directory is not null)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still open by a finishing background writer; the temp dir is cleaned by the OS.
            }
        }

        if (_databaseName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_databaseName} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    private sealed class HeldLock(Func<Task> release) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await release();
    }
}
