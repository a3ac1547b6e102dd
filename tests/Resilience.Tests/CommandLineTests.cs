using System.Diagnostics;
using System.Net;
using System.Text.Json;
using LinkTracking.Tests.Shared;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Resilience.Tests;

/// <summary>
/// The service binary's command tree (<c>api-keys</c>, <c>migrate</c>, <c>--help</c>, exit codes) run as a process,
/// against the real database, with no server running.
/// </summary>
public sealed class CommandLineTests
{
    [Test]
    public async Task ApiKeysCreate_MakesAKeyTheServiceAccepts_AndRevokeMakesItRefused()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Postgres, migrate: false);
        var work = Directory.CreateTempSubdirectory("linktracking-cli-").FullName;

        // --key=value and --key value both work.
        var (createExit, created) = await RunCliAsync(database.ConnectionString, work, "api-keys", "create", "--name=ops", "--scopes", "analytics:read");
        var key = JsonDocument.Parse(created).RootElement;
        var (listExit, listed) = await RunCliAsync(database.ConnectionString, work, "api-keys", "list");
        await using var service = await ServiceProcess.StartAsync(database.ConnectionString, work);
        using var client = service.CreateClient(key.GetProperty("key").GetString());
        using var before = await client.GetAsync("/api/v1/link-tracking/report");
        var (revokeExit, _) = await RunCliAsync(database.ConnectionString, work, "api-keys", "revoke", key.GetProperty("id").GetString()!);
        var bad = await RunAsync(PostgresSettings(database.ConnectionString, work), work, "api-keys", "create", "--name", "x", "--scopes", "root");

        Assert.That(createExit, Is.Zero);
        Assert.That(key.GetProperty("key").GetString(), Does.StartWith("ltk_"));
        Assert.That(listExit, Is.Zero);
        Assert.That(listed, Does.Contain("\"ops\"").And.Not.Contain(key.GetProperty("key").GetString()!));
        Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(revokeExit, Is.Zero);
        Assert.That(bad.Exit, Is.EqualTo(1), "input the use case refuses is a failure");
        Assert.That(bad.Error, Does.Contain("--scopes: scopes are one or more of"));
        Directory.Delete(work, recursive: true);
    }

    [Test]
    public async Task Help_ListsEveryCommand_AndTheExitCodes()
    {
        var work = Directory.CreateTempSubdirectory("linktracking-cli-").FullName;

        var root = await RunAsync(SqliteSettings(work), work, "--help");
        var create = await RunAsync(SqliteSettings(work), work, "api-keys", "create", "--help");
        var migrate = await RunAsync(SqliteSettings(work), work, "migrate", "-h");

        Assert.Multiple(() =>
        {
            Assert.That(root.Exit, Is.Zero);
            Assert.That(root.Output, Does.Contain("serve").And.Contain("api-keys").And.Contain("rollups").And.Contain("spool").And.Contain("migrate"));
            Assert.That(root.Output, Does.Contain("Exit codes: 0 success; 1 failure").And.Contain("2 usage error"));
            Assert.That(create.Exit, Is.Zero);
            Assert.That(create.Output, Does.Contain("--name").And.Contain("--scopes"));
            Assert.That(migrate.Exit, Is.Zero);
            Assert.That(migrate.Output, Does.Contain("--script").And.Contain("--output"));
            Assert.That(Directory.Exists(Path.Combine(work, "data")), Is.False, "help touches no database");
        });
        Directory.Delete(work, recursive: true);
    }

    [Test]
    public async Task UsageErrors_ExitWith2_AndNameTheOptionOrCommand()
    {
        var work = Directory.CreateTempSubdirectory("linktracking-cli-").FullName;
        var settings = SqliteSettings(work);

        var misspelt = await RunAsync(settings, work, "api-keys", "create", "--name", "ops", "--scopes", "admin", "--scope", "links:write");
        var missing = await RunAsync(settings, work, "spool", "move");
        var malformed = await RunAsync(settings, work, "api-keys", "revoke", "not-a-key-id");
        var unknownCommand = await RunAsync(settings, work, "api-key", "list");
        var outputWithoutScript = await RunAsync(settings, work, "migrate", "--output", "schema.sql");

        Assert.Multiple(() =>
        {
            Assert.That(misspelt.Exit, Is.EqualTo(2));
            Assert.That(misspelt.Error, Does.Contain("'--scope'"));
            Assert.That(missing.Exit, Is.EqualTo(2));
            Assert.That(missing.Error, Does.Contain("'--dir' is required"));
            Assert.That(malformed.Exit, Is.EqualTo(2));
            Assert.That(malformed.Error, Does.Contain("'not-a-key-id'"));
            Assert.That(unknownCommand.Exit, Is.EqualTo(2), "a misspelt command must not start the server");
            Assert.That(unknownCommand.Error, Does.Contain("Unknown command 'api-key'"));
            Assert.That(outputWithoutScript.Exit, Is.EqualTo(2));
            Assert.That(outputWithoutScript.Error, Does.Contain("--output needs --script"));
            Assert.That(Directory.Exists(Path.Combine(work, "data")), Is.False, "nothing ran");
        });
        Directory.Delete(work, recursive: true);
    }

    [Test]
    public async Task ExportParquet_WritesAPartitionPerDay_AndNamesAMalformedOption()
    {
        var work = Directory.CreateTempSubdirectory("linktracking-cli-").FullName;
        var settings = SqliteSettings(work);

        var exported = await RunAsync(settings, work, "export", "parquet", "--from", "2025-07-01", "--to=2025-07-03", "--out", "warehouse");
        var malformed = await RunAsync(settings, work, "export", "parquet", "--from", "2025-07-x", "--out", "warehouse");
        var backwards = await RunAsync(settings, work, "export", "parquet", "--from", "2025-07-03", "--to", "2025-07-01", "--out", "warehouse");
        var help = await RunAsync(settings, work, "export", "parquet", "--help");

        Assert.Multiple(() =>
        {
            Assert.That(exported.Exit, Is.Zero, exported.Error);
            Assert.That(exported.Output, Does.Contain("date=2025-07-01: 0 clicks").And.Contain("date=2025-07-02: 0 clicks").And.Contain("exported 0 clicks of 2 days"));
            Assert.That(Directory.GetDirectories(Path.Combine(work, "warehouse")).Select(Path.GetFileName).Order(),
                Is.EqualTo(new[] { "date=2025-07-01", "date=2025-07-02" }));
            Assert.That(malformed.Exit, Is.EqualTo(2));
            Assert.That(malformed.Error, Does.Contain("--from: '2025-07-x' is not a day as YYYY-MM-DD."));
            Assert.That(backwards.Exit, Is.EqualTo(2));
            Assert.That(backwards.Error, Does.Contain("--to must be later than --from"));
            Assert.That(help.Output, Does.Contain("--from").And.Contain("--to").And.Contain("--out"));
        });
        Directory.Delete(work, recursive: true);
    }

    [Test]
    public async Task ACommandWhoseDatabaseIsUnreachable_ExitsWith1_WithTheReason()
    {
        var work = Directory.CreateTempSubdirectory("linktracking-cli-").FullName;

        var result = await RunAsync(PostgresSettings("Host=127.0.0.1;Port=1;Username=nobody;Database=none;Timeout=2", work), work, "api-keys", "list");

        Assert.That(result.Exit, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("error: Failed to connect to 127.0.0.1:1"));
        Directory.Delete(work, recursive: true);
    }

    [Test]
    public async Task MigrateScript_OnSqlite_PrintsTheSchema_WithoutADatabase()
    {
        var work = Directory.CreateTempSubdirectory("linktracking-cli-").FullName;

        var printed = await RunAsync(SqliteSettings(work), work, "migrate", "--script");
        var written = await RunAsync(SqliteSettings(work), work, "migrate", "--script", "--output=schema.sql");

        Assert.Multiple(() =>
        {
            Assert.That(printed.Exit, Is.Zero, printed.Error);
            Assert.That(printed.Output, Does.Contain("CREATE TABLE \"link_tracking\"").And.Contain("CREATE TABLE \"link_clicks\""));
            Assert.That(printed.Output, Does.Contain("INSERT INTO \"__EFMigrationsHistory\""));
            Assert.That(written.Exit, Is.Zero, written.Error);
            Assert.That(File.ReadAllText(Path.Combine(work, "schema.sql")), Is.EqualTo(printed.Output));
            Assert.That(Directory.Exists(Path.Combine(work, "data")), Is.False, "the script needs no database");
        });
        Directory.Delete(work, recursive: true);
    }

    [Test]
    public async Task MigrateScript_OnPostgres_IsIdempotent_AndBuildsTheSchemaTheServiceMigratesTo()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Postgres, migrate: false);
        var work = Directory.CreateTempSubdirectory("linktracking-cli-").FullName;

        // A DBA's run: no connection string needed to print it, psql to apply it, twice.
        var script = await RunAsync(new Dictionary<string, string>(), work, "migrate", "--script", "--Database:Provider=Postgres", "--output", "schema.sql");
        var first = await PsqlAsync(database.ConnectionString, Path.Combine(work, "schema.sql"));
        var second = await PsqlAsync(database.ConnectionString, Path.Combine(work, "schema.sql"));
        var migrate = await RunAsync(PostgresSettings(database.ConnectionString, work), work, "migrate");

        Assert.Multiple(() =>
        {
            Assert.That(script.Exit, Is.Zero, script.Error);
            Assert.That(first, Is.Zero, "the script applies to an empty database");
            Assert.That(second, Is.Zero, "and again: every migration is skipped");
            Assert.That(migrate.Exit, Is.Zero, migrate.Error);
            Assert.That(migrate.Output, Does.Contain("database is up to date"), "the script leaves nothing for the migrator");
        });
        Directory.Delete(work, recursive: true);
    }

    [Test]
    public async Task Migrate_AppliesEveryMigration_ThenHasNothingLeft()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Postgres, migrate: false);
        var work = Directory.CreateTempSubdirectory("linktracking-cli-").FullName;

        // Configuration as --Section:Key=value arguments, as the service takes them.
        var first = await RunAsync(new Dictionary<string, string>(), work, "migrate", "--Database:Provider=Postgres", $"--ConnectionStrings:LinkTracking={database.ConnectionString}");
        var second = await RunAsync(PostgresSettings(database.ConnectionString, work), work, "migrate");
        await using var db = database.CreateContext();
        var pending = await db.Database.GetPendingMigrationsAsync();

        Assert.Multiple(() =>
        {
            Assert.That(first.Exit, Is.Zero, first.Error);
            Assert.That(first.Output, Does.Match(@"applied \d+ migrations to the Postgres database"));
            Assert.That(pending, Is.Empty);
            Assert.That(second.Exit, Is.Zero);
            Assert.That(second.Output, Does.Contain("database is up to date"));
        });
        Directory.Delete(work, recursive: true);
    }

    internal sealed record CliResult(int Exit, string Output, string Error);

    private static Dictionary<string, string> SqliteSettings(string work) => new()
    {
        ["Database__Provider"] = "Sqlite",
        ["ClickPipeline__SpoolDirectory"] = Path.Combine(work, "cli-spool"),
    };

    private static Dictionary<string, string> PostgresSettings(string connectionString, string work) => new()
    {
        ["Database__Provider"] = "Postgres",
        ["ConnectionStrings__LinkTracking"] = connectionString,
        ["ClickPipeline__SpoolDirectory"] = Path.Combine(work, "cli-spool"),
    };

    private static async Task<int> PsqlAsync(string connectionString, string file)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var bin = Environment.GetEnvironmentVariable(PrivatePostgres.BinVariable);
        var info = new ProcessStartInfo(string.IsNullOrEmpty(bin) ? "psql" : Path.Combine(bin, "psql"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", builder.Host!, "-p", builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", builder.Username!, "-d", builder.Database!, "-f", file })
        {
            info.ArgumentList.Add(arg);
        }

        if (!string.IsNullOrEmpty(builder.Password))
        {
            info.Environment["PGPASSWORD"] = builder.Password;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        TestContext.Progress.WriteLine($"[psql -f {Path.GetFileName(file)}] {await output}{await error}");
        return process.ExitCode;
    }

    /// <summary>Runs the service binary as a command (no server) against the PostgreSQL database; its stderr goes to the test log.</summary>
    internal static async Task<(int Exit, string Output)> RunCliAsync(string connectionString, string work, params string[] args)
    {
        var result = await RunAsync(PostgresSettings(connectionString, work), work, args);
        return (result.Exit, result.Output);
    }

    /// <summary>Runs the service binary with <paramref name="args"/> and the given environment, from <paramref name="work"/>.</summary>
    internal static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, string work, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(ServiceProcess.WebApiAssembly());
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        TestContext.Progress.WriteLine($"[cli {string.Join(' ', args)}] exit {process.ExitCode} {await error}");
        return new CliResult(process.ExitCode, await output, await error);
    }
}
