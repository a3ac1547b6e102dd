namespace LinkTracking.Infrastructure.FileSystem;

/// <summary>
/// Makes a directory's entries durable. fsync on a file makes its bytes durable, not its name: after a power cut a
/// file created, renamed or deleted since the directory was last synced can be missing, back, or under its old name.
/// Whoever creates, renames or deletes a file whose existence is a promise (a journal segment, a database) calls this
/// on the directory holding it, after the change and before making the promise.
/// </summary>
public interface IDirectorySync
{
    /// <summary>Flushes <paramref name="directory"/>'s entries to stable storage; throws <see cref="IOException"/> when it cannot.</summary>
    void Sync(string directory);
}
