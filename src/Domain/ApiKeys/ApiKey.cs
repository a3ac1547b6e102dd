using LinkTracking.Domain.Common;

namespace LinkTracking.Domain.ApiKeys;

/// <summary>A partner's or operator's API key. Only a hash of the secret is kept.</summary>
public sealed class ApiKey
{
    public const int MaxNameLength = 100;

    private ApiKey()
    {
        Name = null!;
        KeyHash = null!;
        KeyPrefix = null!;
        Scopes = null!;
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; }

    /// <summary>Lower-case hex SHA-256 of the secret.</summary>
    public string KeyHash { get; private set; }

    /// <summary>The first characters of the secret, to recognise a key in lists without revealing it.</summary>
    public string KeyPrefix { get; private set; }

    /// <summary>Space-separated scopes.</summary>
    public string Scopes { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime? LastUsedAt { get; private set; }

    public DateTime? RevokedAt { get; private set; }

    public bool IsRevoked => RevokedAt is not null;

    public IReadOnlyList<string> ScopeList => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static ApiKey Create(string name, IEnumerable<string> scopes, string keyHash, string keyPrefix, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
        {
            throw new DomainRuleException("name", $"A key name is 1 to {MaxNameLength} characters.");
        }

        var list = scopes.Distinct(StringComparer.Ordinal).ToList();
        if (list.Count == 0 || list.Any(s => !Scope.IsKnown(s)))
        {
            throw new DomainRuleException("scopes", $"Scopes are one or more of: {string.Join(", ", Scope.All)}.");
        }

        return new ApiKey
        {
            Id = Guid.CreateVersion7(now),
            Name = name,
            KeyHash = keyHash,
            KeyPrefix = keyPrefix,
            Scopes = string.Join(' ', list),
            CreatedAt = now,
        };
    }

    public void Revoke(DateTime now) => RevokedAt ??= now;

    public void MarkUsed(DateTime now) => LastUsedAt = now;

    public bool Grants(string scope) => !IsRevoked && Scope.Grants(ScopeList, scope);

    /// <summary>Whether a use at <paramref name="now"/> is worth recording, given that the last was recorded at most <paramref name="resolution"/> ago.</summary>
    public bool UseIsWorthRecording(DateTime now, TimeSpan resolution) => LastUsedAt is not { } last || now - last > resolution;
}
