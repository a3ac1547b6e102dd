using System.CommandLine;
using LinkTracking.Infrastructure.Analytics.Rollups;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>
/// <c>rollups rebuild</c>: recomputes the hourly click rollups from the raw clicks, with the service's configuration
/// (database provider and connection string), and prints how many clicks it counted.
/// </summary>
public static class RollupCommandLine
{
    public static Command Create(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var rebuild = new Command("rebuild", "Recompute the click rollups from the raw clicks (holds a SHARE lock on link_clicks while it runs).");
        rebuild.SetAction((_, cancellationToken) => context.RunAsync(async (services, ct) =>
        {
            await using var scope = services.CreateAsyncScope();
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var clicks = await scope.ServiceProvider.GetRequiredService<ClickRollupRebuilder>().RebuildAsync(ct);
            await context.Output.WriteLineAsync($"rebuilt the rollups of {clicks} clicks in {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
            return ServiceCommandLine.Ok;
        }, initialiseDatabase: true, cancellationToken));
        return new Command("rollups", "Analytics aggregates.") { rebuild };
    }
}
