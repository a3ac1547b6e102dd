using LinkTracking.Domain.Clicks;
using LinkTracking.Infrastructure.Clicks;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>
/// <c>dotnet WebApi.dll spool move --dir DIR</c>: moves the clicks left in another node's spool (a node that is gone
/// for good) into the configured database, segment by segment, then deletes each segment. Exactly once: the batch
/// writers skip click ids already stored, so a move interrupted half-way is simply run again. A lock file in the
/// directory keeps two movers off the same spool. Never point it at a running node's spool.
/// Exit code 0 when the spool is empty afterwards, 1 on bad input, 2 when the database refused (nothing is lost).
/// </summary>
public static class SpoolCommandLine
{
    public const string Verb = "spool";
    public const string LockFileName = "move.lock";
    private const int ChunkSize = 5000;

    public static bool IsCommand(string[] args) => args is [Verb, ..];

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var directory = Option(args, "--dir");
        if (args is not [Verb, "move", ..] || string.IsNullOrWhiteSpace(directory))
        {
            await error.WriteLineAsync("usage: spool move --dir DIRECTORY");
            return 1;
        }

        if (!Directory.Exists(directory))
        {
            await error.WriteLineAsync($"no spool directory at {directory}");
            return 1;
        }

        FileStream lockFile;
        try
        {
            lockFile = new FileStream(Path.Combine(directory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException)
        {
            await error.WriteLineAsync($"another mover holds {Path.Combine(directory, LockFileName)}");
            return 1;
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
                            return 2;
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
            return 0;
        }
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
