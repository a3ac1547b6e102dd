using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Infrastructure.Analytics.Rollups;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace LinkTracking.Infrastructure.Privacy;

/// <summary>
/// SQLite: the clicks are read and anonymised by the aggregate (<see cref="Domain.Clicks.LinkClick.AnonymiseIp"/>);
/// SQLite has one writer at a time, so the transaction itself keeps instances apart. An anonymised address replaces
/// the full one among the rollups' distinct addresses in the same transaction.
/// </summary>
public sealed class SqliteIpAnonymiser(LinkTrackingDbContext db, IClickRollupStore rollups) : IIpAnonymiser
{
    public async Task<int> AnonymiseIpsAsync(DateTime before, int batchSize, CancellationToken cancellationToken)
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
        // The rollups move only for the clicks the worker has counted; it counts the others as they are now (ADR 0021).
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
}
