using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Export;

/// <summary>
/// The daily warehouse export, registered when <c>Export:Parquet:Directory</c> is set: every
/// <c>Export:Parquet:CheckInterval</c> (default one hour; also at start-up) it exports yesterday's UTC day unless its
/// partition (<c>date=YYYY-MM-DD</c>) is there already, so each day is exported once, by whichever check comes first
/// after midnight UTC. Only yesterday: a day missed while the service was down is exported with <c>export parquet</c>.
/// </summary>
public sealed partial class ParquetExportJob(
    IServiceScopeFactory scopes,
    IOptions<ParquetExportOptions> options,
    TimeProvider timeProvider,
    ILogger<ParquetExportJob> logger) : BackgroundService
{
    /// <summary>Exports yesterday (UTC) when it is not exported yet. Returns the day exported, or null when there was nothing to do.</summary>
    public async Task<ParquetDayExported?> RunOnceAsync(CancellationToken cancellationToken)
    {
        var directory = options.Value.Directory;
        if (string.IsNullOrWhiteSpace(directory))
        {
            return null;
        }

        var yesterday = DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime).AddDays(-1);
        if (Directory.Exists(Path.Combine(directory, ParquetClickExporter.PartitionName(yesterday))))
        {
            return null;
        }

        await using var scope = scopes.CreateAsyncScope();
        ParquetDayExported? done = null;
        await scope.ServiceProvider.GetRequiredService<ParquetClickExporter>()
            .ExportAsync(yesterday, yesterday.AddDays(1), directory, day => done = day, cancellationToken);
        if (done is not null)
        {
            LogExported(done.Day, done.Rows, done.Files, directory);
        }

        return done;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(options.Value.CheckInterval, timeProvider, RunOnceAsync, LogFailed, stoppingToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Exported the clicks of {Day} to Parquet: {Rows} rows in {Files} files under {Directory}")]
    private partial void LogExported(DateOnly day, long rows, int files, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The daily Parquet export failed; retrying at the next check")]
    private partial void LogFailed(Exception exception);
}
