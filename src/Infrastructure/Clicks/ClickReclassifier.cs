using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
using LinkTracking.Infrastructure.Analytics.Rollups;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Clicks;

/// <summary>
/// Applies the after-the-fact rules (<see cref="AfterTheFactRules"/>: bursts, decoys) around clicks just written:
/// finds the stored clicks of the same applications and origins near them, and reclassifies those that earn a
/// signal (<see cref="LinkClick.Reclassify"/>), in one transaction with the matching change of the hourly rollups
/// (out of the old category, into the new one). Idempotent, so it may run twice over the same clicks — which it does
/// when the journal replays a segment after a crash. Two reclassifications of the same click at once cannot both
/// count it: <c>bot_category</c> is a concurrency token, so the second fails and its batch is written again.
/// </summary>
public sealed class ClickReclassifier(IServiceScopeFactory scopes, IOptions<ClickClassificationOptions> options, IClickRollupStore rollups)
{
    private readonly ClickClassificationOptions _options = options.Value;

    /// <summary>Returns the number of clicks reclassified.</summary>
    public async Task<int> ReclassifyAroundAsync(IReadOnlyList<LinkClick> written, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(written);
        if (!_options.BurstRule && !_options.DecoyRule)
        {
            return 0;
        }

        var withOrigin = written.Where(c => c.Origin is not null).ToList();
        if (withOrigin.Count == 0)
        {
            return 0;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>();

        // Only links of an application take part. A batch is usually a few links' clicks: ask about those few first,
        // so a batch with none (a partner's backfill of plain links) costs one small query.
        var trackingIds = withOrigin.Select(c => c.TrackingId).Distinct().ToList();
        var applicationLinks = (await db.Links.AsNoTracking()
                .Where(l => trackingIds.Contains(l.TrackingId) && l.ApplicationId != null)
                .Select(l => l.TrackingId)
                .ToListAsync(cancellationToken))
            .ToHashSet();
        var ids = withOrigin.Where(c => applicationLinks.Contains(c.TrackingId)).Select(c => c.Id).ToList();
        if (ids.Count == 0)
        {
            return 0;
        }

        // The stored clicks (a partner's retry may differ from what was stored first) on links of an application.
        var anchors = await (
                from c in db.Clicks.AsNoTracking()
                join l in db.Links on c.TrackingId equals l.TrackingId
                where ids.Contains(c.Id) && l.ApplicationId != null && c.Origin != null
                select new { ApplicationId = l.ApplicationId!.Value, Origin = c.Origin!, c.ClickedAt })
            .ToListAsync(cancellationToken);
        if (anchors.Count == 0)
        {
            return 0;
        }

        var reach = _options.DecoyWindow > _options.BurstWindow ? _options.DecoyWindow : _options.BurstWindow;
        var applications = anchors.Select(a => (Guid?)a.ApplicationId).Distinct().ToList();
        var neighbours = new List<Neighbour>();
        foreach (var chunk in NeighbourWindows.Of(anchors.Select(a => (a.Origin, a.ClickedAt)), reach).Chunk(NeighbourWindows.MaxPerQuery))
        {
            var near = NeighbourWindows.Predicate(chunk);
            neighbours.AddRange(await (
                    from c in db.Clicks.Where(near)
                    join l in db.Links on c.TrackingId equals l.TrackingId
                    where applications.Contains(l.ApplicationId)
                    select new Neighbour(c, l.ApplicationId!.Value, l.LinkFunction))
                .ToListAsync(cancellationToken));
        }

        var changed = 0;
        var delta = new ClickRollupDelta();
        var byId = neighbours.ToDictionary(n => n.Click.Id, n => n.Click);
        foreach (var group in neighbours.GroupBy(n => (n.ApplicationId, n.Click.Origin)))
        {
            var clicks = group
                .Select(n => new OriginClick(n.Click.Id, n.Click.TrackingId.Value, n.Click.ClickedAt, Domain.Links.LinkFunction.IsDecoy(n.LinkFunction)))
                .ToList();
            foreach (var (id, signal) in AfterTheFactRules.Find(clicks, _options))
            {
                var click = byId[id];
                var before = RolledUpClick.Of(click);
                if (click.Reclassify(BotCategory.Scanner, signal))
                {
                    delta.Replace(before, RolledUpClick.Of(click));
                    changed++;
                }
            }
        }

        if (changed > 0)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await rollups.ApplyAsync(db.Database.GetDbConnection(), transaction.GetDbTransaction(), delta, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return changed;
    }

    private sealed record Neighbour(LinkClick Click, Guid ApplicationId, string LinkFunction);
}

/// <summary>
/// Writes clicks, then reclassifies around them (<see cref="ClickReclassifier"/>). A failure of either fails the
/// write, so the journal keeps the clicks and replays them — the write skips what is stored, the reclassification is
/// idempotent — and nothing is half done.
/// </summary>
public sealed class ReclassifyingClickBatchWriter(IClickBatchWriter inner, ClickReclassifier reclassifier) : IClickBatchWriter
{
    public async Task WriteAsync(IReadOnlyList<LinkClick> clicks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        await inner.WriteAsync(clicks, cancellationToken);
        if (clicks.Count > 0)
        {
            await reclassifier.ReclassifyAroundAsync(clicks, cancellationToken);
        }
    }
}
