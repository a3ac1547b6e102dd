using System.CommandLine;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>
/// <c>migrate</c>: applies the pending migrations of the configured provider (the deployment step that goes with
/// <c>Database:MigrateOnStartup=false</c>). <c>migrate --script</c> prints the SQL instead, for a DBA to read and run:
/// idempotent on PostgreSQL (each migration is applied only if <c>__EFMigrationsHistory</c> lacks it, so the whole
/// script can run against a database at any earlier version); on SQLite, which has no conditional blocks, the script
/// goes from an empty database (EF cannot make it idempotent there).
/// </summary>
public static class MigrateCommandLine
{
    public static Command Create(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var script = new Option<bool>("--script")
        {
            Description = "Print the SQL instead of applying it (PostgreSQL: idempotent; SQLite: from an empty database). Needs no database.",
        };
        var output = new Option<FileInfo>("--output", "-o") { Description = "With --script: write the SQL to this file instead of standard output.", HelpName = "FILE" };
        var migrate = new Command("migrate", "Apply the pending database migrations of the configured provider, or print them as SQL (--script).") { script, output };
        migrate.Validators.Add(result =>
        {
            if (result.GetValue(output) is not null && !result.GetValue(script))
            {
                result.AddError("--output needs --script.");
            }
        });
        migrate.SetAction((result, cancellationToken) => result.GetValue(script)
            ? context.RunWithConfigurationAsync(
                (configuration, ct) => WriteScriptAsync(ProviderOf(configuration), result.GetValue(output), context.Output, ct), cancellationToken)
            : context.RunAsync(async (services, ct) =>
            {
                await using var scope = services.CreateAsyncScope();
                var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
                return await ApplyAsync(scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>(), options, context.Output, ct);
            }, initialiseDatabase: false, cancellationToken));
        return migrate;
    }

    private static async Task<int> ApplyAsync(LinkTrackingDbContext db, DatabaseOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await DatabaseInitializer.MigrateAsync(db, options, cancellationToken);
        var current = db.Database.GetMigrations().LastOrDefault() ?? "none";
        await output.WriteLineAsync(pending.Count == 0
            ? $"the {options.Provider} database is up to date ({current})"
            : $"applied {pending.Count} migrations to the {options.Provider} database; it is at {current}");
        return ServiceCommandLine.Ok;
    }

    private static DatabaseProvider ProviderOf(IConfiguration configuration) =>
        configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>()?.Provider ?? DatabaseProvider.Sqlite;

    // The script is made from the migrations alone, with the design-time contexts: no connection string or server needed.
    private static async Task<int> WriteScriptAsync(DatabaseProvider provider, FileInfo? file, TextWriter output, CancellationToken cancellationToken)
    {
        await using LinkTrackingDbContext db = provider == DatabaseProvider.Postgres
            ? new PostgresDesignTimeFactory().CreateDbContext([])
            : new SqliteDesignTimeFactory().CreateDbContext([]);
        var generation = provider == DatabaseProvider.Postgres ? MigrationsSqlGenerationOptions.Idempotent : MigrationsSqlGenerationOptions.Default;
        var sql = db.GetService<IMigrator>().GenerateScript(fromMigration: null, toMigration: null, generation);
        var header = provider == DatabaseProvider.Postgres
            ? "-- LinkTracking schema for PostgreSQL, idempotent: safe to run against a database at any earlier migration.\n"
            : "-- LinkTracking schema for SQLite, from an empty database (SQLite has no conditional blocks: not idempotent).\n";
        if (file is null)
        {
            await output.WriteAsync(header + sql);
            return ServiceCommandLine.Ok;
        }

        await File.WriteAllTextAsync(file.FullName, header + sql, cancellationToken);
        await output.WriteLineAsync($"wrote {file.FullName}");
        return ServiceCommandLine.Ok;
    }
}
