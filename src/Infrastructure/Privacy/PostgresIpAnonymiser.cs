using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;
using LinkTracking.Infrastructure.Analytics.Rollups;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace LinkTracking.Infrastructure.Privacy;

/// <summary>
/// PostgreSQL: one statement per batch; <c>FOR UPDATE SKIP LOCKED</c> lets several instances share the work without
/// waiting on each other, and the <c>&lt;&gt;</c> test makes a second pass a no-op. The SQL computes exactly
/// <see cref="IpAddresses.Anonymise"/>: an IPv4-mapped address (<c>::ffff:a.b.c.d</c>, stored before addresses were
/// normalised on the way in) is first made the IPv4 address, then IPv4 keeps its /24 and IPv6 its /48. An anonymised
/// address replaces the full one among the rollups' distinct addresses in the same transaction.
/// </summary>
public sealed class PostgresIpAnonymiser(LinkTrackingDbContext db, IClickRollupStore rollups) : IIpAnonymiser
{
    public async Task<int> AnonymiseIpsAsync(DateTime before, int batchSize, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = await db.Database.SqlQuery<AnonymisedClick>($"""
            WITH unmapped AS (
                SELECT id,
                       CASE WHEN ip_address << '::ffff:0.0.0.0/96'::inet
                            THEN '0.0.0.0'::inet + (ip_address - '::ffff:0.0.0.0'::inet)
                            ELSE ip_address END AS ip
                FROM link_clicks
                WHERE clicked_at < {before} AND ip_address IS NOT NULL
            ),
            anonymised AS (
                SELECT id,
                       CASE WHEN family(ip) = 4
                            THEN set_masklen(network(set_masklen(ip, 24))::inet, 32)
                            ELSE set_masklen(network(set_masklen(ip, 48))::inet, 128) END AS ip
                FROM unmapped
            ),
            batch AS (
                SELECT c.id, a.ip, c.ip_address AS old_ip
                FROM link_clicks c JOIN anonymised a ON a.id = c.id
                WHERE c.ip_address <> a.ip
                LIMIT {batchSize}
                FOR UPDATE OF c SKIP LOCKED
            )
            UPDATE link_clicks SET ip_address = batch.ip FROM batch WHERE link_clicks.id = batch.id
            RETURNING link_clicks.id, link_clicks.tracking_id, link_clicks.clicked_at, link_clicks.is_bot,
                      host(batch.old_ip) AS old_ip, host(batch.ip) AS new_ip
            """).ToListAsync(cancellationToken);
        // The rollups move only for the clicks the worker has counted; it counts the others as they are now (ADR 0021).
        var rolled = await rollups.RolledUpAsync(db.Database.GetDbConnection(), transaction.GetDbTransaction(), changed.Select(c => c.Id).ToList(), cancellationToken);
        var delta = new ClickRollupDelta();
        foreach (var c in changed.Where(c => rolled.Contains(c.Id)))
        {
            delta.ChangeAddress(c.TrackingId, c.ClickedAt, c.IsBot, c.OldIp, c.NewIp);
        }

        await rollups.ApplyAsync(db.Database.GetDbConnection(), transaction.GetDbTransaction(), delta, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return changed.Count;
    }

    /// <summary>A row of the anonymising UPDATE's RETURNING.</summary>
    private sealed record AnonymisedClick(Guid Id, string TrackingId, DateTime ClickedAt, bool IsBot, string? OldIp, string? NewIp);
}
