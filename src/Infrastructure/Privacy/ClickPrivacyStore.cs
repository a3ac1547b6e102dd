using System.Data;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;
using LinkTracking.Infrastructure.Analytics.Rollups;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace LinkTracking.Infrastructure.Privacy;

/// <summary>
/// Erasure and IP anonymisation. Both change what the rollups count (<see cref="IClickRollupStore"/>): erased clicks
/// leave every aggregate, an anonymised address replaces the full one among the distinct addresses, each in the
/// transaction that changes the clicks, for the clicks the rollup worker has counted already (it counts the others as
/// they are when it gets to them; ADR 0021).
/// </summary>
public sealed class ClickPrivacyStore(LinkTrackingDbContext db, IClickRollupStore rollups) : IClickPrivacyStore
{
    private const int MaxAttempts = 5;

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

        // Read what is erased, then erase exactly that: PostgreSQL's repeatable read makes a click changed or erased
        // meanwhile a serialization failure (and another attempt) rather than a miscount; SQLite has one writer.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await EraseCountedAsync(clicks, cancellationToken);
            }
            catch (Exception ex) when (attempt < MaxAttempts && IsSerializationFailure(ex))
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<int> EraseCountedAsync(IQueryable<Domain.Clicks.LinkClick> clicks, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(
            db.Database.IsNpgsql() ? IsolationLevel.RepeatableRead : IsolationLevel.Serializable, cancellationToken);
        var erased = await clicks
            .Select(c => new { c.Id, c.TrackingId, c.ClickedAt, c.IsBot, c.ClickSource, c.BotCategory, c.Country, c.DeviceType, c.Browser, c.Os, c.SessionId, c.IpAddress })
            .ToListAsync(cancellationToken);
        var rolled = await rollups.RolledUpAsync(db.Database.GetDbConnection(), transaction.GetDbTransaction(), erased.Select(c => c.Id).ToList(), cancellationToken);
        var deleted = await clicks.ExecuteDeleteAsync(cancellationToken);
        var delta = new ClickRollupDelta();
        foreach (var c in erased.Where(c => rolled.Contains(c.Id)))
        {
            delta.Add(
                new RolledUpClick(
                    c.TrackingId.Value, c.ClickedAt, c.IsBot, c.ClickSource, c.BotCategory.Name(), c.Country, c.DeviceType?.Name(),
                    c.Browser, c.Os, c.SessionId, RolledUpClick.IpKey(c.IpAddress)),
                -1);
        }

        await rollups.ApplyAsync(db.Database.GetDbConnection(), transaction.GetDbTransaction(), delta, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    private static bool IsSerializationFailure(Exception ex) =>
        ex is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure }
        || ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure };

    public Task<int> AnonymiseIpsAsync(DateTime before, int batchSize, CancellationToken cancellationToken) =>
        db.Database.IsNpgsql() ? AnonymisePostgresAsync(before, batchSize, cancellationToken) : AnonymiseSqliteAsync(before, batchSize, cancellationToken);

    /// <summary>
    /// One statement per batch; <c>FOR UPDATE SKIP LOCKED</c> lets several instances share the work without
    /// waiting on each other, and the <c>&lt;&gt;</c> test makes a second pass a no-op.
    /// </summary>
    private async Task<int> AnonymisePostgresAsync(DateTime before, int batchSize, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = await db.Database.SqlQuery<AnonymisedClick>($"""
            WITH anonymised AS (
                SELECT id,
                       CASE WHEN family(ip_address) = 4
                            THEN set_masklen(network(set_masklen(ip_address, 24))::inet, 32)
                            ELSE set_masklen(network(set_masklen(ip_address, 48))::inet, 128) END AS ip
                FROM link_clicks
                WHERE clicked_at < {before} AND ip_address IS NOT NULL
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

    /// <summary>SQLite has one writer at a time, so the transaction itself keeps instances apart.</summary>
    private async Task<int> AnonymiseSqliteAsync(DateTime before, int batchSize, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = 0;
        var offset = 0;
        var addresses = new List<(Guid Id, string TrackingId, DateTime ClickedAt, bool IsBot, string? Before, string? After)>();
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
                var ipBefore = RolledUpClick.IpKey(click.IpAddress);
                if (changed < batchSize && click.AnonymiseIp())
                {
                    addresses.Add((click.Id, click.TrackingId.Value, click.ClickedAt, click.IsBot, ipBefore, RolledUpClick.IpKey(click.IpAddress)));
                    changed++;
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        var rolled = await rollups.RolledUpAsync(db.Database.GetDbConnection(), transaction.GetDbTransaction(), addresses.Select(a => a.Id).ToList(), cancellationToken);
        var delta = new ClickRollupDelta();
        foreach (var a in addresses.Where(a => rolled.Contains(a.Id)))
        {
            delta.ChangeAddress(a.TrackingId, a.ClickedAt, a.IsBot, a.Before, a.After);
        }

        await rollups.ApplyAsync(db.Database.GetDbConnection(), transaction.GetDbTransaction(), delta, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    /// <summary>A row of the anonymising UPDATE's RETURNING.</summary>
    private sealed record AnonymisedClick(Guid Id, string TrackingId, DateTime ClickedAt, bool IsBot, string? OldIp, string? NewIp);
}
