using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.Webhooks;

/// <summary>PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c> — concurrent workers skip each other's rows instead of waiting.</summary>
public sealed class PostgresWebhookOutboxClaims(LinkTrackingDbContext db) : IWebhookOutboxClaims
{
    public async Task<List<WebhookOutboxMessage>> ClaimAsync(string owner, DateTime now, DateTime until, int limit, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var rows = await db.WebhookOutbox.FromSql($"""
            SELECT * FROM webhook_outbox
            WHERE status = 'pending' AND next_attempt_at <= {now} AND (lease_until IS NULL OR lease_until < {now})
            ORDER BY next_attempt_at
            LIMIT {limit}
            FOR UPDATE SKIP LOCKED
            """).ToListAsync(cancellationToken);
        foreach (var row in rows)
        {
            row.LeaseOwner = owner;
            row.LeaseUntil = until;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return rows;
    }
}
