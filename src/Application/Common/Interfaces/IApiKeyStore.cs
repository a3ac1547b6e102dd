using LinkTracking.Domain.ApiKeys;

namespace LinkTracking.Application.Common.Interfaces;

/// <summary>Looks up and stores API keys. Secrets never reach this port: only their hashes.</summary>
public interface IApiKeyStore
{
    /// <summary>The key with this secret hash, revoked or not; null when there is none.</summary>
    Task<ApiKey?> FindByHashAsync(string keyHash, CancellationToken cancellationToken);

    Task<ApiKey?> FindAsync(Guid id, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken);

    void Add(ApiKey apiKey);
}
