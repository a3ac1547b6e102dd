using System.Diagnostics;
using System.Net;
using LinkTracking.Tests.Shared;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Resilience.Tests;

/// <summary>
/// The production migration path (docs/operations.md, "Migrations"): the bundles of <c>scripts/migration-bundles.sh</c>
/// bring an empty database to the latest migration, a second run changes nothing, and a node with
/// <c>Database:MigrateOnStartup=false</c> serves from it. Bundles take minutes to build, so CI does not: the tests run
/// when they exist (<c>scripts/migration-bundles.sh --test</c> builds and runs them) and are skipped otherwise.
/// </summary>
public sealed class MigrationBundleTests
{
    public const string BundlesVariable = "LINKTRACKING_MIGRATION_BUNDLES";

    [Test]
    public async Task PostgresBundle_MigratesAnEmptyDatabase_Once_AndTheServiceServesFromIt()
    {
        var bundle = Bundle("postgres");
        await using var database = await TestDatabase.CreateAsync(TestProvider.Postgres, migrate: false);
        var work = Directory.CreateTempSubdirectory("linktracking-bundle-").FullName;

        var first = await RunAsync(bundle, work, "--connection", database.ConnectionString);
        var second = await RunAsync(bundle, work, "--connection", database.ConnectionString);
        await using var db = database.CreateContext();
        var pending = await db.Database.GetPendingMigrationsAsync();
        var applied = await db.Database.GetAppliedMigrationsAsync();
        await using var service = await ServiceProcess.StartAsync(database.ConnectionString, work, new Dictionary<string, string> { ["Database:MigrateOnStartup"] = "false" });
        using var client = service.CreateClient(null);
        using var ready = await client.GetAsync("/health/ready");

        Assert.Multiple(() =>
        {
            Assert.That(first.Exit, Is.Zero, first.Output);
            Assert.That(first.Output, Does.Contain("ClicksAfterCommit"), "every migration, the hll one included");
            Assert.That(pending, Is.Empty);
            Assert.That(applied, Is.EqualTo(db.Database.GetMigrations()));
            Assert.That(second.Exit, Is.Zero, second.Output);
            Assert.That(second.Output, Does.Contain("already up to date"));
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a node that does not migrate serves from the bundle's schema");
        });
        Directory.Delete(work, recursive: true);
    }

    [Test]
    public async Task SqliteBundle_MigratesAnEmptyFile()
    {
        var bundle = Bundle("sqlite");
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite, migrate: false);
        var work = Directory.CreateTempSubdirectory("linktracking-bundle-").FullName;

        var result = await RunAsync(bundle, work, "--connection", database.ConnectionString);
        await using var db = database.CreateContext();
        var pending = await db.Database.GetPendingMigrationsAsync();

        Assert.That(result.Exit, Is.Zero, result.Output);
        Assert.That(pending, Is.Empty);
        Directory.Delete(work, recursive: true);
    }

    private static string Bundle(string provider)
    {
        var directory = Environment.GetEnvironmentVariable(BundlesVariable) is { Length: > 0 } set ? set : RepositoryRoot.Combine("artifacts", "migrations");
        var path = Path.Combine(directory, "efbundle-" + provider);
        if (!File.Exists(path))
        {
            Assert.Ignore($"No migration bundle at {path}: scripts/migration-bundles.sh --test builds the bundles and runs these tests.");
        }

        return path;
    }

    private static async Task<(int Exit, string Output)> RunAsync(string bundle, string work, params string[] args)
    {
        var info = new ProcessStartInfo(bundle) { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var all = await output + await error;
        TestContext.Progress.WriteLine($"[{Path.GetFileName(bundle)}] exit {process.ExitCode}: {all}");
        return (process.ExitCode, all);
    }
}
