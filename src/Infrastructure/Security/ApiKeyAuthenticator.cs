using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.ApiKeys;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracking.Infrastructure.Security;

/// <summary>An authenticated caller.</summary>
public sealed record AuthenticatedApiKey(Guid Id, string Name, IReadOnlyList<string> Scopes);

/// <summary>
/// Checks an <c>X-API-Key</c> secret: hash it, find the <see cref="ApiKey"/> by hash through <see cref="IApiKeyStore"/>,
/// compare the hashes in constant time. The aggregate decides what a key grants and when a use is recorded.
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
