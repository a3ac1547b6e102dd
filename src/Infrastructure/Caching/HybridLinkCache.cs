using System.Collections.Concurrent;
using System.ComponentModel;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Models;
using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracking.Infrastructure.Caching;

/// <summary>
/// Links for the redirect, from HybridCache: in process, plus Redis as the second level when configured.
/// A miss loads the link once (HybridCache coalesces concurrent misses). Unknown ids are remembered as
/// misses for <see cref="NegativeTtl"/> so a scan of random ids cannot hammer the database. Invalidation
/// removes the entry here and tells the other instances (<see cref="ILinkInvalidationBus"/>). The last answer loaded
/// for each link and short code is kept apart (at most <see cref="MaxLastKnown"/>) and served only while the database
/// does not answer: a node that dropped its cache after a Redis reconnect, just before an outage, answered every
/// redirect with a 500 until the database came back. A change heard for a link drops its last answer too.
/// </summary>
public sealed class HybridLinkCache(HybridCache cache, IServiceScopeFactory scopes, ILinkInvalidationBus bus, TimeProvider timeProvider, Telemetry.ServiceMetrics metrics)
    : ILinkCache
{
    public static readonly TimeSpan PositiveTtl = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan NegativeTtl = TimeSpan.FromSeconds(10);

    /// <summary>How many last answers are kept for an outage; links beyond them are served from the cache or not at all.</summary>
    public const int MaxLastKnown = 100_000;

    private readonly ConcurrentDictionary<string, object> _lastKnown = new(StringComparer.Ordinal);

    /// <summary>The tag of every cached link, so <see cref="RemoveAllLocalAsync"/> can drop them all.</summary>
    private static readonly string[] Tags = ["link"];

    private static readonly HybridCacheEntryOptions EntryOptions = new()
    {
        Expiration = PositiveTtl,
        LocalCacheExpiration = PositiveTtl,
    };

    public async ValueTask<LinkTarget?> GetAsync(TrackingId trackingId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trackingId);
        metrics.LinkLookup();
        var key = Key(trackingId.Value);
        try
        {
            var entry = await cache.GetOrCreateAsync(key, (this, trackingId), static (state, ct) => state.Item1.LoadAsync(state.trackingId, ct), EntryOptions, Tags, cancellationToken);
            if (entry.Target is null && entry.MissingUntil < timeProvider.GetUtcNow().UtcDateTime)
            {
                // The remembered miss is stale: forget it and look again.
                await cache.RemoveAsync(key, cancellationToken);
                entry = await cache.GetOrCreateAsync(key, (this, trackingId), static (state, ct) => state.Item1.LoadAsync(state.trackingId, ct), EntryOptions, Tags, cancellationToken);
            }

            RememberServed(key, entry.Target);
            return entry.Target;
        }
        catch (Exception e) when (DatabaseUnreachable.Is(e) && _lastKnown.TryGetValue(key, out var known) && known is LinkTarget target)
        {
            return target;
        }
    }

    /// <summary>
    /// (domain, short code) → tracking id, cached under its own key with the same lifetimes and tag. A link's domain and
    /// code never change, so nothing invalidates the entry; whether the link still redirects is the link entry's job.
    /// </summary>
    public async ValueTask<TrackingId?> FindByShortCodeAsync(string domain, string shortCode, CancellationToken cancellationToken)
    {
        metrics.LinkLookup();
        var key = ShortCodeKey(domain, shortCode);
        var state = (this, domain, shortCode);
        try
        {
            var entry = await cache.GetOrCreateAsync(key, state, static (s, ct) => s.Item1.LoadShortCodeAsync(s.domain, s.shortCode, ct), EntryOptions, Tags, cancellationToken);
            if (entry.TrackingId is null && entry.MissingUntil < timeProvider.GetUtcNow().UtcDateTime)
            {
                await cache.RemoveAsync(key, cancellationToken);
                entry = await cache.GetOrCreateAsync(key, state, static (s, ct) => s.Item1.LoadShortCodeAsync(s.domain, s.shortCode, ct), EntryOptions, Tags, cancellationToken);
            }

            RememberServed(key, entry.TrackingId);
            return entry.TrackingId is null ? null : TrackingId.Parse(entry.TrackingId);
        }
        catch (Exception e) when (DatabaseUnreachable.Is(e) && _lastKnown.TryGetValue(key, out var known) && known is string trackingId)
        {
            return TrackingId.Parse(trackingId);
        }
    }

    public async ValueTask InvalidateAsync(string trackingId, CancellationToken cancellationToken)
    {
        await RemoveLocalAsync(trackingId, cancellationToken);
        await bus.PublishAsync(trackingId, cancellationToken);
    }

    /// <summary>Drops the entry on this instance (and in Redis); used when another instance says so.</summary>
    public ValueTask RemoveLocalAsync(string trackingId, CancellationToken cancellationToken)
    {
        _lastKnown.TryRemove(Key(trackingId), out _);
        return cache.RemoveAsync(Key(trackingId), cancellationToken);
    }

    /// <summary>Drops every cached link on this instance; used after a reconnect to Redis, when changes may have gone unheard. The
    /// last answers stay, for an outage only.</summary>
    public ValueTask RemoveAllLocalAsync(CancellationToken cancellationToken) => cache.RemoveByTagAsync(Tags[0], cancellationToken);

    private static string Key(string trackingId) => "link:" + trackingId;

    private static string ShortCodeKey(string domain, string shortCode) => "short:" + domain + "/" + shortCode;

    /// <summary>
    /// An answer this node serves, remembered for an outage even when it came from Redis and not from this node's own
    /// load: a node that only ever read a link from Redis, then dropped its cache after a Redis restart (Redis empty)
    /// just before the database went down, answered 1,654 redirects with a 500 in the cluster fault test. One
    /// dictionary read per redirect; a write only when the answer is new to this node.
    /// </summary>
    private void RememberServed(string key, object? answer)
    {
        if (answer is not null && (!_lastKnown.TryGetValue(key, out var known) || !Equals(known, answer)))
        {
            Remember(key, answer);
        }
    }

    private void Remember(string key, object? answer)
    {
        if (answer is null)
        {
            _lastKnown.TryRemove(key, out _);
        }
        else if (_lastKnown.Count < MaxLastKnown || _lastKnown.ContainsKey(key))
        {
            _lastKnown[key] = answer;
        }
    }

    private async ValueTask<CachedLink> LoadAsync(TrackingId trackingId, CancellationToken cancellationToken)
    {
        metrics.LinkCacheMiss();
        await using var scope = scopes.CreateAsyncScope();
        var links = scope.ServiceProvider.GetRequiredService<ITrackedLinkRepository>();
        var target = await links.FindTargetAsync(trackingId, cancellationToken);
        Remember(Key(trackingId.Value), target);
        return target is null
            ? new CachedLink(null, timeProvider.GetUtcNow().UtcDateTime + NegativeTtl)
            : new CachedLink(target, DateTime.MaxValue);
    }

    private async ValueTask<CachedShortCode> LoadShortCodeAsync(string domain, string shortCode, CancellationToken cancellationToken)
    {
        metrics.LinkCacheMiss();
        await using var scope = scopes.CreateAsyncScope();
        var links = scope.ServiceProvider.GetRequiredService<ITrackedLinkRepository>();
        var trackingId = await links.FindTrackingIdByShortCodeAsync(domain, shortCode, cancellationToken);
        Remember(ShortCodeKey(domain, shortCode), trackingId);
        return trackingId is null
            ? new CachedShortCode(null, timeProvider.GetUtcNow().UtcDateTime + NegativeTtl)
            : new CachedShortCode(trackingId, DateTime.MaxValue);
    }
}

/// <summary>
/// A cached link, or a remembered miss valid until <see cref="MissingUntil"/>. Immutable, so HybridCache hands out
/// the cached instance instead of deserialising a defensive copy on every hit.
/// </summary>
[ImmutableObject(true)]
public sealed record CachedLink(LinkTarget? Target, DateTime MissingUntil);

/// <summary>A branded short code's tracking id, or a remembered miss valid until <see cref="MissingUntil"/>.</summary>
[ImmutableObject(true)]
public sealed record CachedShortCode(string? TrackingId, DateTime MissingUntil);
