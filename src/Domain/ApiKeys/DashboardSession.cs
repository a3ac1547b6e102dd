namespace LinkTracking.Domain.ApiKeys;

/// <summary>
/// A dashboard sign-in of an API key, kept on the server: the browser's cookie names it, and it ends when it is
/// deleted (sign-out, revocation of the key), when it has been idle too long, or at its absolute end — whichever comes
/// first. Only a hash of the cookie's session secret is kept, so the table gives nobody a usable session.
/// </summary>
public sealed class DashboardSession
{
    /// <summary>Length of <see cref="Id"/>: lower-case hex SHA-256.</summary>
    public const int IdLength = 64;

    private DashboardSession()
    {
        Id = null!;
    }

    /// <summary>Lower-case hex SHA-256 of the session secret the cookie carries.</summary>
    public string Id { get; private set; }

    public Guid ApiKeyId { get; private set; }

    public DateTime CreatedAt { get; private set; }

    /// <summary>When the idle window last started (sign-in, or the last renewal of a sliding session).</summary>
    public DateTime IssuedAt { get; private set; }

    /// <summary>When the session ends unless renewed; never after <see cref="AbsoluteExpiresAt"/>.</summary>
    public DateTime ExpiresAt { get; private set; }

    /// <summary>When the session ends whatever its use: <see cref="CreatedAt"/> plus the absolute lifetime.</summary>
    public DateTime AbsoluteExpiresAt { get; private set; }

    public static DashboardSession Start(string id, Guid apiKeyId, DateTime now, DateTime idleExpiresAt, TimeSpan lifetime)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        var absolute = now + lifetime;
        return new DashboardSession
        {
            Id = id,
            ApiKeyId = apiKeyId,
            CreatedAt = now,
            IssuedAt = now,
            ExpiresAt = Earlier(idleExpiresAt, absolute),
            AbsoluteExpiresAt = absolute,
        };
    }

    /// <summary>Starts a new idle window (sliding renewal); the absolute end does not move.</summary>
    public void Renew(DateTime issuedAt, DateTime idleExpiresAt)
    {
        IssuedAt = issuedAt;
        ExpiresAt = Earlier(idleExpiresAt, AbsoluteExpiresAt);
    }

    /// <summary>Whether the session has ended (idle window or absolute lifetime) at <paramref name="now"/>.</summary>
    public bool HasEnded(DateTime now) => now >= ExpiresAt;

    private static DateTime Earlier(DateTime a, DateTime b) => a <= b ? a : b;
}
