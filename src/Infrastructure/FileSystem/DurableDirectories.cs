namespace LinkTracking.Infrastructure.FileSystem;

/// <summary>Creating a directory so that it survives a power cut: each new directory's name is synced into its parent.</summary>
public static class DurableDirectories
{
    /// <summary>
    /// Creates <paramref name="path"/> and any missing parents (with <paramref name="unixMode"/> where the platform has
    /// modes), then syncs the parent of every directory it created, deepest first. Nothing is synced when it existed.
    /// </summary>
    public static void CreateDirectory(this IDirectorySync sync, string path, UnixFileMode? unixMode = null)
    {
        ArgumentNullException.ThrowIfNull(sync);
        var full = Path.GetFullPath(path);
        var created = new List<string>();
        for (var missing = full; missing is not null && !Directory.Exists(missing); missing = Path.GetDirectoryName(missing))
        {
            created.Add(missing);
        }

        if (unixMode is { } mode && !OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(full, mode);
        }
        else
        {
            Directory.CreateDirectory(full);
        }

        foreach (var directory in created)
        {
            if (Path.GetDirectoryName(directory) is { } parent)
            {
                sync.Sync(parent);
            }
        }
    }
}
