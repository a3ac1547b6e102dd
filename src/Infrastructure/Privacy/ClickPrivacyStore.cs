using System.Data;
using System.Net.Sockets;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;
using LinkTracking.Infrastructure.Analytics.Rollups;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace LinkTracking.Infrastructure.Privacy;

/// <summary>
/// Erasure. It changes what the rollups count (<see cref="IClickRollupStore"/>): erased clicks leave every aggregate,
/// in the transaction that erases them, for the clicks the rollup worker has counted already (it counts the others
/// as they are when it gets to them; ADR 0021). (IP anonymisation: <see cref="PostgresIpAnonymiser"/>,
/// <see cref="SqliteIpAnonymiser"/>.)
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
        if (filter.IpAddress is { } given)
        {
            // Addresses are stored in their normal form; a click stored before that rule may hold the IPv4-mapped one.
            var ip = IpAddresses.Normalise(given);
            var mapped = ip.AddressFamily == AddressFamily.InterNetwork ? ip.MapToIPv6() : ip;
            clicks = clicks.Where(c => c.IpAddress == ip || c.IpAddress == mapped);
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
}
