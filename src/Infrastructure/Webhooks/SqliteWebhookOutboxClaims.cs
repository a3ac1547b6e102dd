using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.Webhooks;

/// <summary>
/// SQLite: one writer at a time. The claim runs in an IMMEDIATE transaction (the write lock first), and the UPDATE is
/// conditional on the lease being free: two workers can never both win a row.
/// </summary>
public sealed class SqliteWebhookOutboxClaims(LinkTrackingDbContext db) : IWebhookOutboxClaims
{
    public async Task<List<WebhookOutboxMessage>> ClaimAsync(string owner, DateTime now, DateTime until, int limit, CancellationToken cancellationToken)
    {
        await using var claim = await db.Database.BeginTransactionAsync(cancellationToken);
        var candidates = await db.WebhookOutbox.AsNoTracking()
            .Where(m => m.Status == WebhookOutboxStatus.Pending && m.NextAttemptAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now))
            .OrderBy(m => m.NextAttemptAt)
            .Select(m => m.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);
        if (candidates.Count == 0)
        {
            return [];
        }

        await db.WebhookOutbox
            .Where(m => candidates.Contains(m.Id) && m.Status == WebhookOutboxStatus.Pending && (m.LeaseUntil == null || m.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseOwner, owner).SetProperty(m => m.LeaseUntil, until), cancellationToken);
        var won = await db.WebhookOutbox.AsNoTracking()
            .Where(m => candidates.Contains(m.Id) && m.LeaseOwner == owner && m.LeaseUntil == until)
            .ToListAsync(cancellationToken);
        await claim.CommitAsync(cancellationToken);
        return won;
    }
}
