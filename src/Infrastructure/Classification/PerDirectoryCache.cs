using System.Collections.Concurrent;

namespace LinkTracking.Infrastructure.Classification;

/// <summary>
/// One loaded instance per data folder for the life of the process: every host of a test run (and every classifier a
/// host builds) shares the tables instead of reading them again. A failed load is not kept, so the next attempt, after
/// the file is fixed, tries again.
/// </summary>
public sealed class PerDirectoryCache<T>(Func<string, T> load)
    where T : class
{
    private readonly ConcurrentDictionary<string, Lazy<T>> _loaded = new(StringComparer.Ordinal);

    public T Get(string directory)
    {
        var key = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var lazy = _loaded.GetOrAdd(key, k => new Lazy<T>(() => load(k), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _loaded.TryRemove(new KeyValuePair<string, Lazy<T>>(key, lazy));
            throw;
        }
    }
}
