using LinkTracking.Infrastructure.Analytics.Rollups;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>
/// <c>dotnet WebApi.dll rollups rebuild</c> (or <c>dotnet run --project src/WebApi -- rollups rebuild</c>): recomputes
/// the hourly click rollups from the raw clicks, with the service's configuration (database provider and connection
/// string), and prints how many clicks it counted. Exit code 0 on success, 1 on bad usage.
/// </summary>
public static class RollupCommandLine
{
    public const string Verb = "rollups";

    public static bool IsCommand(string[] args) => args is [Verb, ..];

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args is not [Verb, "rebuild"])
        {
            await error.WriteLineAsync("usage: rollups rebuild");
            return 1;
        }

        await using var scope = services.CreateAsyncScope();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var clicks = await scope.ServiceProvider.GetRequiredService<ClickRollupRebuilder>().RebuildAsync(CancellationToken.None);
        await output.WriteLineAsync($"rebuilt the rollups of {clicks} clicks in {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
        return 0;
    }
}
