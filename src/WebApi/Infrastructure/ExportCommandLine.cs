using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Globalization;
using LinkTracking.Infrastructure.Export;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>
/// <c>export parquet --from DAY [--to DAY] --out DIR</c>: writes the classified clicks of those UTC days as
/// Hive-partitioned Parquet (<c>DIR/date=YYYY-MM-DD/part-N.parquet</c>; <see cref="ParquetClickExporter"/>, schema in
/// docs/export.md), replacing the partitions of those days, and prints a line per day and a total.
/// </summary>
public static class ExportCommandLine
{
    public static Command Create(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var from = new Option<DateOnly>("--from")
        {
            Description = "The first UTC day exported (inclusive), YYYY-MM-DD.",
            Required = true,
            HelpName = "YYYY-MM-DD",
            CustomParser = result => ParseDay(result, "--from"),
        };
        var to = new Option<DateOnly?>("--to")
        {
            Description = "The UTC day the export stops before (exclusive), YYYY-MM-DD; default today (UTC), i.e. up to and including yesterday.",
            HelpName = "YYYY-MM-DD",
            CustomParser = result => ParseDay(result, "--to"),
        };
        var output = new Option<string>("--out")
        {
            Description = "The directory of the partitions (created when missing); each exported day's date=YYYY-MM-DD is replaced.",
            Required = true,
            HelpName = "DIRECTORY",
        };
        var parquet = new Command("parquet", "Export classified clicks (bots included) as Parquet files partitioned by UTC day (date=YYYY-MM-DD/part-N.parquet).")
        {
            from, to, output,
        };
        parquet.Validators.Add(result =>
        {
            if (result.GetValue(to) is { } end && result.GetValue(from) is var start && end <= start)
            {
                result.AddError("--to must be later than --from (--from is inclusive, --to exclusive).");
            }
        });
        parquet.SetAction((result, cancellationToken) => context.RunAsync(async (services, ct) =>
        {
            var start = result.GetValue(from);
            var end = result.GetValue(to) ?? DateOnly.FromDateTime(services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
            if (end <= start)
            {
                await context.Error.WriteLineAsync($"--from: {Day(start)} is not before --to {Day(end)} (--to defaults to today, UTC).");
                return ServiceCommandLine.Failure;
            }

            var directory = Path.GetFullPath(result.GetValue(output)!);
            var started = Stopwatch.GetTimestamp();
            await using var scope = services.CreateAsyncScope();
            var summary = await scope.ServiceProvider.GetRequiredService<ParquetClickExporter>().ExportAsync(
                start,
                end,
                directory,
                day => context.Output.WriteLine($"{ParquetClickExporter.PartitionName(day.Day)}: {day.Rows} clicks in {day.Files} files"),
                ct);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            await context.Output.WriteLineAsync(
                $"exported {summary.Rows} clicks of {summary.Days} days in {summary.Files} files to {directory} in {seconds.ToString("F1", CultureInfo.InvariantCulture)} s");
            return ServiceCommandLine.Ok;
        }, initialiseDatabase: true, cancellationToken));
        return new Command("export", "Exports for warehouses.") { parquet };
    }

    private static DateOnly ParseDay(ArgumentResult result, string option)
    {
        var token = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (DateOnly.TryParseExact(token, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        result.AddError($"{option}: '{token}' is not a day as YYYY-MM-DD.");
        return default;
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
