using LinkTracking.Domain.ApiKeys;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracking.Infrastructure.Security;

/// <summary>An authenticated caller.</summary>
public sealed record AuthenticatedApiKey(Guid Id, string Name, IReadOnlyList<string> Scopes);

/// <summary>
/// Checks an <c>X-API-Key</c> secret: hash it, find the key by hash, compare the hashes in constant time.
/// Results are cached in process for <see cref="CacheTtl"/>; <see cref="Forget"/> drops a revoked key at once.
/// <c>last_used_at</c> is written at most once a minute per key.
/// </summary>
public sealed class ApiKeyAuthenticator(IServiceScopeFactory scopes, IMemoryCache cache, TimeProvider timeProvider)
{
    public static readonly TimeSpan CacheTtl = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async ValueTask<AuthenticatedApiKey?> AuthenticateAsync(string? secret, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length > ApiKeySecrets.MaxSecretLength)
        {
            return null;
        }

        var hash = ApiKeySecrets.Hash(secret);
        if (!cache.TryGetValue(CacheKey(hash), out CachedKey? cached) || cached is null)
        {
            cached = await LoadAsync(hash, cancellationToken);
            cache.Set(CacheKey(hash), cached, CacheTtl);
        }

        if (cached.Key is null || !ApiKeySecrets.HashesEqual(cached.Hash, hash))
        {
            return null;
        }

        var now = timeProvider.GetUtcNow().UtcDateTime;
        if (now - cached.LastUsedWritten > LastUsedResolution)
        {
            cached.LastUsedWritten = now;
            await TouchAsync(cached.Key.Id, now, cancellationToken);
        }

        return cached.Key;
    }

    /// <summary>Drops a key from this instance's cache (after revocation).</summary>
    public void Forget(string keyHash) => cache.Remove(CacheKey(keyHash));

    private static string CacheKey(string hash) => "apikey:" + hash;

    private async Task<CachedKey> LoadAsync(string hash, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>();
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.KeyHash == hash, cancellationToken);
        if (key is null || key.IsRevoked)
        {
            return new CachedKey(hash, null, DateTime.MaxValue);
        }

        return new CachedKey(hash, new AuthenticatedApiKey(key.Id, key.Name, key.ScopeList), key.LastUsedAt ?? DateTime.MinValue);
    }

    private async Task TouchAsync(Guid id, DateTime now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>();
        await db.ApiKeys.Where(k => k.Id == id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
    }

    private sealed class CachedKey(string hash, AuthenticatedApiKey? key, DateTime lastUsedWritten)
    {
        public string Hash { get; } = hash;

        public AuthenticatedApiKey? Key { get; } = key;

        public DateTime LastUsedWritten { get; set; } = lastUsedWritten;
    }

    /// <summary>Whether <paramref name="scopes"/> grant <paramref name="required"/> (admin grants everything).</summary>
    public static bool Grants(IEnumerable<string> scopes, string required) =>
        scopes.Any(s => s == Scope.Admin || s == required);
}
