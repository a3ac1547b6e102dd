using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.ApiKeys;
using LinkTracking.Infrastructure.FileSystem;
using LinkTracking.Infrastructure.Security;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Persistence;

/// <summary>Creates or migrates the schema at start-up and provisions the bootstrap admin key.</summary>
public static class DatabaseInitializer
{
    public const string BootstrapKeyName = "bootstrap";

    public static async Task InitialiseDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var options = provider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var db = provider.GetRequiredService<LinkTrackingDbContext>();
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseInitializer));

        var sqliteFile = options.Provider == DatabaseProvider.Sqlite ? SqliteFile(db.Database.GetConnectionString()) : null;
        var directorySync = provider.GetRequiredService<IDirectorySync>();
        var sqliteFileExisted = sqliteFile is null || File.Exists(sqliteFile);
        if (sqliteFile is not null)
        {
            directorySync.CreateDirectory(Path.GetDirectoryName(sqliteFile)!);
        }

        if (options.MigrateOnStartup)
        {
            await MigrateAsync(db, options, cancellationToken);
        }

        if (options.Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets the redirect's click writer and the API's readers work at the same time.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        if (!sqliteFileExisted && File.Exists(sqliteFile))
        {
            // SQLite fsyncs the file's pages, not its name: sync the directory once, where the database was just created,
            // so a power cut cannot lose the whole database (every acknowledged write with it).
            directorySync.Sync(Path.GetDirectoryName(sqliteFile)!);
        }

        var bootstrapKey = provider.GetRequiredService<IOptions<AuthOptions>>().Value.BootstrapApiKey;
        if (!string.IsNullOrEmpty(bootstrapKey))
        {
            await EnsureBootstrapKeyAsync(provider, bootstrapKey, cancellationToken);
            logger.LogInformation("Bootstrap admin API key is provisioned");
        }
    }

    /// <summary>
    /// Applies the pending migrations, whatever <c>Database:MigrateOnStartup</c> says (start-up and the <c>migrate</c>
    /// command); a PostgreSQL without the <c>hll</c> extension is named as such.
    /// </summary>
    public static async Task MigrateAsync(LinkTrackingDbContext db, DatabaseOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Provider == DatabaseProvider.Sqlite && SqliteFile(db.Database.GetConnectionString()) is { } file)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        }

        try
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState is Npgsql.PostgresErrorCodes.UndefinedFile or Npgsql.PostgresErrorCodes.FeatureNotSupported
                                                 && e.MessageText.Contains("hll", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                "PostgreSQL lacks the HyperLogLog extension 'hll' that unique sessions are estimated with (ADR 0021): install it on the "
                + "database server (Debian/Ubuntu: apt-get install postgresql-15-hll; managed services: allow the 'hll' extension) and start again.",
                e);
        }
    }

    private static async Task EnsureBootstrapKeyAsync(IServiceProvider provider, string secret, CancellationToken cancellationToken)
    {
        var store = provider.GetRequiredService<IApiKeyStore>();
        var hash = ApiKeySecrets.Hash(secret);
        var existing = await store.FindByHashAsync(hash, cancellationToken);
        if (existing is not null)
        {
            return;
        }

        var now = provider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        store.Add(ApiKey.Create(BootstrapKeyName, [Scope.Admin], hash, ApiKeySecrets.DisplayPrefix(secret), now));
        await provider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(cancellationToken);
    }

    /// <summary>The database file's full path; null for an in-memory database.</summary>
    private static string? SqliteFile(string? connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var dataSource = builder.DataSource;
        return string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory ? null : Path.GetFullPath(dataSource);
    }
}
