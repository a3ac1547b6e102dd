using System.Diagnostics;
using System.Net;
using System.Text.Json;
using LinkTracking.Tests.Shared;

namespace LinkTracking.Resilience.Tests;

/// <summary><c>api-keys create|list|revoke</c> from the command line, against the real database, with no server running.</summary>
public sealed class CommandLineTests
{
    [Test]
    public async Task ApiKeysCreate_MakesAKeyTheServiceAccepts_AndRevokeMakesItRefused()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Postgres, migrate: false);
        var work = Directory.CreateTempSubdirectory("linktracking-cli-").FullName;

        var (createExit, created) = await RunCliAsync(database.ConnectionString, work, "api-keys", "create", "--name", "ops", "--scopes", "analytics:read");
        var key = JsonDocument.Parse(created).RootElement;
        var (listExit, listed) = await RunCliAsync(database.ConnectionString, work, "api-keys", "list");
        await using var service = await ServiceProcess.StartAsync(database.ConnectionString, work);
        using var client = service.CreateClient(key.GetProperty("key").GetString());
        using var before = await client.GetAsync("/api/v1/link-tracking/report");
        var (revokeExit, _) = await RunCliAsync(database.ConnectionString, work, "api-keys", "revoke", key.GetProperty("id").GetString()!);
        var (badExit, _) = await RunCliAsync(database.ConnectionString, work, "api-keys", "create", "--name", "x", "--scopes", "root");

        Assert.That(createExit, Is.Zero);
        Assert.That(key.GetProperty("key").GetString(), Does.StartWith("ltk_"));
        Assert.That(listExit, Is.Zero);
        Assert.That(listed, Does.Contain("\"ops\"").And.Not.Contain(key.GetProperty("key").GetString()!));
        Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(revokeExit, Is.Zero);
        Assert.That(badExit, Is.EqualTo(1));
        Directory.Delete(work, recursive: true);
    }

    /// <summary>Runs the service binary as a command (no server) against the database; its stderr goes to the test log.</summary>
    internal static async Task<(int Exit, string Output)> RunCliAsync(string connectionString, string work, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(ServiceProcess.WebApiAssembly());
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["Database__Provider"] = "Postgres";
        info.Environment["ConnectionStrings__LinkTracking"] = connectionString;
        info.Environment["ClickPipeline__SpoolDirectory"] = Path.Combine(work, "cli-spool");
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        TestContext.Progress.WriteLine($"[cli {string.Join(' ', args)}] {await error}");
        return (process.ExitCode, await output);
    }
}
