using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.ApiKeys;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LinkTracking.Infrastructure.Security;

/// <summary>An authenticated caller.</summary>
public sealed record AuthenticatedApiKey(Guid Id, string Name, IReadOnlyList<string> Scopes);

/// <summary>
/// Checks an <c>X-API-Key</c> secret: hash it, find the <see cref="ApiKey"/> by hash through <see cref="IApiKeyStore"/>,
/// compare the hashes in constant time. The aggregate decides what a key grants and when a use is recorded.
/// Results are cached in process for <see cref="CacheTtl"/>; <see cref="Forget"/> drops a revoked key at once.
/// <c>last_used_at</c> is written at most once a minute per key, best effort.
/// While the database cannot be reached, a key this node has already looked up keeps its last known answer (for
/// <see cref="LastKnownTtl"/>, looked up again every <see cref="UnreachableRetry"/>), so partners keep recording
/// clicks into the spool through an outage; any other secret is answered 503, not 500.
/// </summary>
public sealed partial class ApiKeyAuthenticator(IServiceScopeFactory scopes, IMemoryCache cache, TimeProvider timeProvider, ILogger<ApiKeyAuthenticator> logger)
{
    public static readonly TimeSpan CacheTtl = TimeSpan.FromSeconds(30);

    private long _generation;
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>How long a last known answer stands in for the database while it is unreachable.</summary>
    public static readonly TimeSpan LastKnownTtl = TimeSpan.FromHours(1);

    /// <summary>While the database is unreachable, how long a last known answer is used before the next lookup.</summary>
    public static readonly TimeSpan UnreachableRetry = TimeSpan.FromSeconds(5);

    public async ValueTask<AuthenticatedApiKey?> AuthenticateAsync(string? secret, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length > ApiKeySecrets.MaxSecretLength)
        {
            return null;
        }

        var hash = ApiKeySecrets.Hash(secret);
        if (!cache.TryGetValue(CacheKey(hash), out CachedKey? cached) || cached is null)
        {
            try
            {
                cached = await LoadAsync(hash, cancellationToken);
                cache.Set(CacheKey(hash), cached, CacheTtl);
                if (cached.Key is not null)
                {
                    // Real keys only (a flood of made-up secrets must not pile up for an hour), kept when the cache
                    // compacts: it is what an outage falls back on.
                    cache.Set(LastKnownKey(hash), cached, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = LastKnownTtl, Priority = CacheItemPriority.NeverRemove });
                }
                else
                {
                    // Revoked (or deleted) since it was last known, e.g. on another node while Redis was away.
                    cache.Remove(LastKnownKey(hash));
                }
            }
            catch (Exception ex) when (DatabaseUnreachable.Is(ex))
            {
                if (!cache.TryGetValue(LastKnownKey(hash), out cached) || cached is null)
                {
                    throw new ServiceUnavailableException("The database cannot be reached to check this API key; retry later.", UnreachableRetry);
                }

                LogLastKnown(ex);
                cache.Set(CacheKey(hash), cached, UnreachableRetry);
            }
        }

        if (cached.Key is null || !ApiKeySecrets.HashesEqual(cached.Hash, hash))
        {
            return null;
        }

        var now = timeProvider.GetUtcNow().UtcDateTime;
        if (now - cached.LastUsedWritten > LastUsedResolution)
        {
            cached.LastUsedWritten = now;
            try
            {
                await TouchAsync(cached.Key.Id, now, cancellationToken);
            }
            catch (Exception ex) when (DatabaseUnreachable.Is(ex))
            {
                LogTouchFailed(ex);
            }
        }

        return cached.Key;
    }

    /// <summary>
    /// Makes every key be looked up again on its next use (after a reconnect to Redis, when a revocation may have gone
    /// unheard): a new generation of cache keys, the old entries left to expire. Last known answers are kept: a lookup
    /// that finds the key revoked drops its last known answer, and one that cannot reach the database falls back on it.
    /// Dropping them too would refuse every partner whenever a Redis reconnect lands during a database outage
    /// (ADR 0019).
    /// </summary>
    public void ForgetAll() => Interlocked.Increment(ref _generation);

    /// <summary>Drops a key from this instance's cache (after revocation), its last known answer too.</summary>
    public void Forget(string keyHash)
    {
        cache.Remove(CacheKey(keyHash));
        cache.Remove(LastKnownKey(keyHash));
    }

    private string CacheKey(string hash) => $"apikey:{Volatile.Read(ref _generation)}:{hash}";

    private static string LastKnownKey(string hash) => $"apikey-last-known:{hash}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database cannot be reached: an API key is checked against its last known state")]
    private partial void LogLastKnown(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record an API key's last use")]
    private partial void LogTouchFailed(Exception exception);

    private async Task<CachedKey> LoadAsync(string hash, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var key = await scope.ServiceProvider.GetRequiredService<IApiKeyStore>().FindByHashAsync(hash, cancellationToken);
        if (key is null || key.IsRevoked)
        {
            return new CachedKey(hash, null, DateTime.MaxValue);
        }

        return new CachedKey(hash, new AuthenticatedApiKey(key.Id, key.Name, key.ScopeList), key.LastUsedAt ?? DateTime.MinValue);
    }

    private async Task TouchAsync(Guid id, DateTime now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var key = await scope.ServiceProvider.GetRequiredService<IApiKeyStore>().FindAsync(id, cancellationToken);
        if (key is null || !key.UseIsWorthRecording(now, LastUsedResolution))
        {
            return;
        }

        key.MarkUsed(now);
        await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(cancellationToken);
    }

    private sealed class CachedKey(string hash, AuthenticatedApiKey? key, DateTime lastUsedWritten)
    {
        public string Hash { get; } = hash;

        public AuthenticatedApiKey? Key { get; } = key;

        public DateTime LastUsedWritten { get; set; } = lastUsedWritten;
    }

}
