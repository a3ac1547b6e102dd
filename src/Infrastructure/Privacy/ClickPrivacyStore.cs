using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.Privacy;

public sealed class ClickPrivacyStore(LinkTrackingDbContext db) : IClickPrivacyStore
{
    public async Task<int> EraseAsync(ClickErasureFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.IsEmpty)
        {
            throw new ArgumentException("An erasure needs at least one filter.", nameof(filter));
        }

        var clicks = db.Clicks.AsQueryable();
        if (filter.IpAddress is { } ip)
        {
            clicks = clicks.Where(c => c.IpAddress == ip);
        }

        if (filter.SessionId is { } session)
        {
            clicks = clicks.Where(c => c.SessionId == session);
        }

        if (filter.ApplicationId is { } applicationId)
        {
            clicks = clicks.Where(c => db.Links.Any(l => l.TrackingId == c.TrackingId && l.ApplicationId == applicationId));
        }

        if (filter.JobId is { } jobId)
        {
            clicks = clicks.Where(c => db.Links.Any(l => l.TrackingId == c.TrackingId && l.JobId == jobId));
        }

        return await clicks.ExecuteDeleteAsync(cancellationToken);
    }

    public Task<int> AnonymiseIpsAsync(DateTime before, int batchSize, CancellationToken cancellationToken) =>
        db.Database.IsNpgsql() ? AnonymisePostgresAsync(before, batchSize, cancellationToken) : AnonymiseSqliteAsync(before, batchSize, cancellationToken);

    /// <summary>
    /// One statement per batch; <c>FOR UPDATE SKIP LOCKED</c> lets several instances share the work without
    /// waiting on each other, and the <c>&lt;&gt;</c> test makes a second pass a no-op.
    /// </summary>
    private Task<int> AnonymisePostgresAsync(DateTime before, int batchSize, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync($"""
            WITH anonymised AS (
                SELECT id,
                       CASE WHEN family(ip_address) = 4
                            THEN set_masklen(network(set_masklen(ip_address, 24))::inet, 32)
                            ELSE set_masklen(network(set_masklen(ip_address, 48))::inet, 128) END AS ip
                FROM link_clicks
                WHERE clicked_at < {before} AND ip_address IS NOT NULL
            ),
            batch AS (
                SELECT c.id, a.ip
                FROM link_clicks c JOIN anonymised a ON a.id = c.id
                WHERE c.ip_address <> a.ip
                LIMIT {batchSize}
                FOR UPDATE OF c SKIP LOCKED
            )
            UPDATE link_clicks SET ip_address = batch.ip FROM batch WHERE link_clicks.id = batch.id
            """, cancellationToken);

    /// <summary>SQLite has one writer at a time, so the transaction itself keeps instances apart.</summary>
    private async Task<int> AnonymiseSqliteAsync(DateTime before, int batchSize, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = 0;
        var offset = 0;
        while (changed < batchSize)
        {
            var page = await db.Clicks
                .Where(c => c.ClickedAt < before && c.IpAddress != null)
                .OrderBy(c => c.ClickedAt)
                .ThenBy(c => c.Id)
                .Skip(offset)
                .Take(batchSize)
                .ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            offset += page.Count;
            foreach (var click in page)
            {
                if (changed < batchSize && click.AnonymiseIp())
                {
                    changed++;
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return changed;
    }
}
