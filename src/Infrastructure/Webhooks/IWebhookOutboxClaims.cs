namespace LinkTracking.Infrastructure.Webhooks;

/// <summary>
/// Claims due outbox rows for one delivery worker under a lease, so that several workers (on several nodes) never send
/// one row at the same time. One implementation per database provider, chosen in DI.
/// </summary>
public interface IWebhookOutboxClaims
{
    /// <summary>
    /// Leases at most <paramref name="limit"/> pending rows due at <paramref name="now"/> whose lease is free to
    /// <paramref name="owner"/> until <paramref name="until"/>, oldest due first, and returns them.
    /// </summary>
    Task<List<WebhookOutboxMessage>> ClaimAsync(string owner, DateTime now, DateTime until, int limit, CancellationToken cancellationToken);
}
