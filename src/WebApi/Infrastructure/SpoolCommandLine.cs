using System.CommandLine;
using LinkTracking.Domain.Clicks;
using LinkTracking.Infrastructure.Clicks;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>
/// <c>spool move --dir DIR</c>: moves the clicks left in another node's spool (a node that is gone
/// for good) into the configured database, segment by segment, then deletes each segment. Exactly once: the batch
/// writers skip click ids already stored, so a move interrupted half-way is simply run again. A lock file in the
/// directory keeps two movers off the same spool. Never point it at a running node's spool.
/// Exit code 0 when the spool is empty afterwards, 1 when the directory is missing or locked or the database refused
/// (nothing is lost: run it again).
/// </summary>
public static class SpoolCommandLine
{
    public const string LockFileName = "move.lock";
    private const int ChunkSize = 5000;

    public static Command Create(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var dir = new Option<string>("--dir") { Description = "The orphaned spool directory (never a running node's).", Required = true, HelpName = "DIRECTORY" };
        var move = new Command("move", "Move the clicks of a dead node's spool into the configured database, exactly once.") { dir };
        move.SetAction((result, cancellationToken) => context.RunAsync(
            (services, ct) => MoveAsync(services, result.GetValue(dir)!, context.Output, context.Error, ct), initialiseDatabase: true, cancellationToken));
        return new Command("spool", "The click spool (journal).") { move };
    }

    public static async Task<int> MoveAsync(IServiceProvider services, string directory, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!Directory.Exists(directory))
        {
            await error.WriteLineAsync($"no spool directory at {directory}");
            return ServiceCommandLine.Failure;
        }

        FileStream lockFile;
        try
        {
            lockFile = new FileStream(Path.Combine(directory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException)
        {
            await error.WriteLineAsync($"another mover holds {Path.Combine(directory, LockFileName)}");
            return ServiceCommandLine.Failure;
        }

        await using (lockFile)
        {
            using var spool = new ClickSpool(directory);
            var writer = services.GetRequiredService<IClickBatchWriter>();
            long moved = 0;
            var segments = spool.SealSegments();
            var chunk = new List<LinkClick>(ChunkSize);
            foreach (var segment in segments)
            {
                using (var reader = ClickSpool.OpenSegment(segment))
                {
                    while (reader.ReadChunk(chunk, ChunkSize) > 0)
                    {
                        try
                        {
                            await writer.WriteAsync(chunk, cancellationToken);
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException)
                        {
                            await error.WriteLineAsync($"the database refused a batch of {Path.GetFileName(segment)} ({ex.GetType().Name}: {ex.Message}); the segment is kept, run the command again");
                            await output.WriteLineAsync($"moved {moved} clicks; {segments.Count} segments were found");
                            return ServiceCommandLine.Failure;
                        }

                        moved += chunk.Count;
                        chunk.Clear();
                    }

                    if (reader.Torn)
                    {
                        await error.WriteLineAsync($"{Path.GetFileName(segment)} ends in a torn record after {reader.RecordsRead} records (a crash mid-write); those before it were moved");
                    }
                }

                spool.Delete(segment);
            }

            await output.WriteLineAsync($"moved {moved} clicks from {segments.Count} segments");
            return ServiceCommandLine.Ok;
        }
    }
}
