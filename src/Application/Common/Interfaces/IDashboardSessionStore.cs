using LinkTracking.Domain.ApiKeys;

namespace LinkTracking.Application.Common.Interfaces;

/// <summary>The dashboard's sign-ins, kept in the database every node shares (ADR 0013).</summary>
public interface IDashboardSessionStore
{
    Task<DashboardSession?> FindAsync(string id, CancellationToken cancellationToken);

    void Add(DashboardSession session);

    /// <summary>Ends one session at once (sign-out). Ending an unknown session is harmless.</summary>
    Task EndAsync(string id, CancellationToken cancellationToken);

    /// <summary>Ends every session of a key at once (the key was revoked). Returns how many ended.</summary>
    Task<int> EndAllOfKeyAsync(Guid apiKeyId, CancellationToken cancellationToken);

    /// <summary>Deletes the sessions that had ended by <paramref name="now"/>; returns how many.</summary>
    Task<int> DeleteEndedAsync(DateTime now, CancellationToken cancellationToken);
}
