using System.Collections.Concurrent;

namespace LinkTracking.Infrastructure.Enrichment;

/// <summary>
/// A bounded, lock-free cache of recent agents' answers in two generations: lookups try the current generation, then
/// the previous one (promoting a hit); when the current one has taken half the capacity it becomes the previous one
/// and the old previous one is dropped. So at most <c>capacity</c> entries are held, and an agent seen within the last
/// <c>capacity / 2</c> distinct agents is always found — an LRU's behaviour without its lock on every read.
/// </summary>
public sealed class RecentAgents<T>
    where T : class
{
    private readonly int _generationSize;
    private readonly Lock _swap = new();
    private ConcurrentDictionary<string, T> _current = new(StringComparer.Ordinal);
    private ConcurrentDictionary<string, T> _previous = new(StringComparer.Ordinal);
    private int _currentCount;

    public RecentAgents(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        _generationSize = capacity / 2;
    }

    /// <summary>Entries held now (both generations; at most the capacity).</summary>
    public int Count => _current.Count + _previous.Count;

    public bool TryGet(string key, out T value)
    {
        if (_current.TryGetValue(key, out value!))
        {
            return true;
        }

        if (_previous.TryGetValue(key, out value!))
        {
            Add(key, value);
            return true;
        }

        return false;
    }

    public void Add(string key, T value)
    {
        if (!_current.TryAdd(key, value))
        {
            return;
        }

        if (Interlocked.Increment(ref _currentCount) < _generationSize)
        {
            return;
        }

        lock (_swap)
        {
            if (Volatile.Read(ref _currentCount) < _generationSize)
            {
                return;
            }

            _previous = _current;
            _current = new ConcurrentDictionary<string, T>(StringComparer.Ordinal);
            Volatile.Write(ref _currentCount, 0);
        }
    }
}
