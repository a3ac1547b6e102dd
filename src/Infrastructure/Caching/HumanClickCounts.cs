using System.Collections.Concurrent;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracking.Infrastructure.Caching;

/// <summary>
/// Human click counts of links with a <c>max_human_clicks</c>, kept in memory. A count is read from the database
/// (one indexed COUNT over the link's clicks) when first asked and again once it is <see cref="RefreshInterval"/> old;
/// in between, the human clicks this instance records are added as they happen. So on one instance a limit holds
/// exactly (up to requests racing for the last click); with several instances, or while clicks are still in the
/// journal, the count can be short by the other instances' clicks of the last interval and the pipeline's lag, and a
/// click reclassified as a burst later stops counting at the next refresh (ADR 0014). At most
/// <see cref="MaxEntries"/> links are held; beyond that the oldest half is dropped.
/// </summary>
public sealed class HumanClickCounts(IServiceScopeFactory scopes, TimeProvider timeProvider) : IHumanClickCounts
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(15);
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async ValueTask<long> GetAsync(string trackingId, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        if (_entries.TryGetValue(trackingId, out var entry) && now - entry.ReadAt < RefreshInterval)
        {
            return entry.Count;
        }

        var stored = await CountStoredAsync(trackingId, cancellationToken);
        if (_entries.Count >= MaxEntries)
        {
            Trim();
        }

        _entries[trackingId] = new Entry(stored, now);
        return stored;
    }

    public void NoteHumanClick(string trackingId)
    {
        if (_entries.TryGetValue(trackingId, out var entry))
        {
            entry.Increment();
        }
    }

    private async Task<long> CountStoredAsync(string trackingId, CancellationToken cancellationToken)
    {
        var id = TrackingId.Parse(trackingId);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>();
        return await db.Clicks.AsNoTracking().LongCountAsync(c => c.TrackingId == id && c.BotCategory == BotCategory.Human, cancellationToken);
    }

    private void Trim()
    {
        foreach (var key in _entries.OrderBy(e => e.Value.ReadAt).Take(MaxEntries / 2).Select(e => e.Key).ToList())
        {
            _entries.TryRemove(key, out _);
        }
    }

    private sealed class Entry(long count, DateTime readAt)
    {
        private long _count = count;

        public DateTime ReadAt { get; } = readAt;

        public long Count => Interlocked.Read(ref _count);

        public void Increment() => Interlocked.Increment(ref _count);
    }
}
