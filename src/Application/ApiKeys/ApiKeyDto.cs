using LinkTracking.Domain.ApiKeys;

namespace LinkTracking.Application.ApiKeys;

/// <summary>An API key as listed: never its secret or hash.</summary>
public sealed record ApiKeyDto(
    Guid Id,
    string Name,
    IReadOnlyList<string> Scopes,
    string KeyPrefix,
    DateTime CreatedAt,
    DateTime? LastUsedAt,
    DateTime? RevokedAt)
{
    public static ApiKeyDto From(ApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new ApiKeyDto(key.Id, key.Name, key.ScopeList, key.KeyPrefix, key.CreatedAt, key.LastUsedAt, key.RevokedAt);
    }
}
