using System.Diagnostics;
using LinkTracking.Tests.Shared;

namespace LinkTracking.WebApi.FunctionalTests.Client;

/// <summary>
/// src/Client/Generated must be what Kiota makes of the committed docs/openapi/v1.json (itself compared with the
/// served document by OpenApiTests): regenerates into a temp dir with scripts/generate-client.sh and compares.
/// </summary>
public sealed class GeneratedClientFreshnessTests
{
    [Test]
    public async Task CommittedClient_IsWhatKiotaGeneratesFromTheSnapshot()
    {
        var output = Directory.CreateTempSubdirectory("linktracking-client-").FullName;
        try
        {
            var (exitCode, log) = await RunAsync("bash", RepositoryRoot.Combine("scripts", "generate-client.sh"), output);
            Assert.That(exitCode, Is.Zero, log);

            var committed = Files(RepositoryRoot.Combine("src", "Client", "Generated"));
            var fresh = Files(output);
            Assert.That(committed.Keys, Is.EquivalentTo(fresh.Keys), "Generated files added or removed: run scripts/generate-client.sh and commit src/Client/Generated.");
            var stale = committed.Where(f => f.Value != fresh[f.Key]).Select(f => f.Key).ToList();
            Assert.That(stale, Is.Empty, "src/Client/Generated is stale: run scripts/generate-client.sh and commit it.");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static Dictionary<string, string> Files(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace('\\', '/'), f => File.ReadAllText(f).ReplaceLineEndings("\n"), StringComparer.Ordinal);

    private static async Task<(int ExitCode, string Log)> RunAsync(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot.Path };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
