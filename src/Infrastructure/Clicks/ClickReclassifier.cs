using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
using LinkTracking.Infrastructure.Analytics.Rollups;
using LinkTracking.Infrastructure.Persistence;
using LinkTracking.Infrastructure.Persistence.Configurations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Clicks;

/// <summary>
/// Applies the after-the-fact rules (<see cref="AfterTheFactRules"/>: bursts, decoys) around clicks just written — run
/// by the rollup worker over each round's window, before it counts it (ADR 0021):
/// finds the stored clicks of the same applications and origins near them, and reclassifies those that earn a
/// signal (<see cref="LinkClick.Reclassify"/>), in one transaction with the matching change of the hourly rollups
/// (out of the old category, into the new one). Idempotent, so it may run twice over the same clicks — which it does
/// when the journal replays a segment after a crash. Two reclassifications of the same click at once cannot both
/// count it: <c>bot_category</c> is a concurrency token, so the second fails and its batch is written again.
/// </summary>
public sealed class ClickReclassifier(
    IServiceScopeFactory scopes, IOptions<ClickClassificationOptions> options, IClickRollupStore rollups, INeighbourClicks neighbourClicks)
{
    private readonly ClickClassificationOptions _options = options.Value;

    /// <summary>
    /// Reclassifies around the clicks the rollup worker is about to count: those numbered in
    /// (<paramref name="fromSeq"/>, <paramref name="toSeq"/>] (ADR 0021). Off the ingest path: the mover's transaction
    /// holds the clicks only. Returns the number of clicks reclassified.
    /// </summary>
    public async Task<int> ReclassifyWindowAsync(long fromSeq, long toSeq, CancellationToken cancellationToken)
    {
        if ((!_options.BurstRule && !_options.DecoyRule) || toSeq <= fromSeq)
        {
            return 0;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>();
        var anchors = await (
                from c in db.Clicks.AsNoTracking()
                join l in db.Links on c.TrackingId equals l.TrackingId
                where EF.Property<long>(c, LinkClickConfiguration.SeqColumn) > fromSeq
                      && EF.Property<long>(c, LinkClickConfiguration.SeqColumn) <= toSeq
                      && l.ApplicationId != null && c.Origin != null
                select new Anchor(l.ApplicationId!.Value, c.Origin!, c.ClickedAt))
            .ToListAsync(cancellationToken);
        return await ReclassifyAroundAsync(db, scope.ServiceProvider.GetServices<IClickReclassificationObserver>(), anchors, cancellationToken);
    }

    /// <summary>Reclassifies around some stored clicks (by id). Returns the number of clicks reclassified.</summary>
    public async Task<int> ReclassifyAroundAsync(IReadOnlyList<LinkClick> written, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(written);
        if (!_options.BurstRule && !_options.DecoyRule)
        {
            return 0;
        }

        var ids = written.Where(c => c.Origin is not null).Select(c => c.Id).ToList();
        if (ids.Count == 0)
        {
            return 0;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>();

        // The stored clicks (a partner's retry may differ from what was stored first) on links of an application.
        var anchors = await (
                from c in db.Clicks.AsNoTracking()
                join l in db.Links on c.TrackingId equals l.TrackingId
                where ids.Contains(c.Id) && l.ApplicationId != null && c.Origin != null
                select new Anchor(l.ApplicationId!.Value, c.Origin!, c.ClickedAt))
            .ToListAsync(cancellationToken);
        return await ReclassifyAroundAsync(db, scope.ServiceProvider.GetServices<IClickReclassificationObserver>(), anchors, cancellationToken);
    }

    private async Task<int> ReclassifyAroundAsync(
        LinkTrackingDbContext db, IEnumerable<IClickReclassificationObserver> observers, List<Anchor> anchors, CancellationToken cancellationToken)
    {
        if (anchors.Count == 0)
        {
            return 0;
        }

        var reach = _options.DecoyWindow > _options.BurstWindow ? _options.DecoyWindow : _options.BurstWindow;
        var windows = NeighbourWindows.Of(anchors.Select(a => (a.Origin, a.ClickedAt)), reach);
        var applications = anchors.Select(a => a.ApplicationId).Distinct().ToArray();
        var neighbours = await neighbourClicks.FindAsync(db, windows, applications, cancellationToken);

        // The rules run over light rows; only the clicks that earn a signal they do not have yet are loaded to change.
        var earned = new Dictionary<Guid, List<string>>();
        foreach (var group in neighbours.GroupBy(n => (n.ApplicationId, n.Origin)))
        {
            var clicks = group
                .Select(n => new OriginClick(n.Id, n.TrackingId, n.ClickedAt, Domain.Links.LinkFunction.IsDecoy(n.LinkFunction)))
                .ToList();
            var signalsOf = group.ToDictionary(n => n.Id, n => n.Signals);
            foreach (var (id, signal) in AfterTheFactRules.Find(clicks, _options))
            {
                if (!ClickSignals.Split(signalsOf[id]).Contains(signal, StringComparer.Ordinal))
                {
                    // A click can earn both (a burst that also hit the decoy): each is added, in the rules' order.
                    (earned.TryGetValue(id, out var signals) ? signals : earned[id] = []).Add(signal);
                }
            }
        }

        if (earned.Count == 0)
        {
            return 0;
        }

        var changes = new List<(LinkClick Click, BotCategory From, RolledUpClick Before, RolledUpClick After)>();
        var earnedIds = earned.Keys.ToList();
        foreach (var click in await db.Clicks.Where(c => earnedIds.Contains(c.Id)).ToListAsync(cancellationToken))
        {
            var before = RolledUpClick.Of(click);
            var from = click.BotCategory;
            var reclassified = false;
            foreach (var signal in earned[click.Id])
            {
                reclassified |= click.Reclassify(BotCategory.Scanner, signal);
            }

            if (reclassified)
            {
                changes.Add((click, from, before, RolledUpClick.Of(click)));
            }
        }

        if (changes.Count > 0)
        {
            // The rollups move only for the clicks the worker has counted; it counts the others as they are now.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var reclassified = changes.Select(c => new ClickReclassified(c.Click, c.From)).ToList();
            foreach (var observer in observers)
            {
                await observer.OnReclassifiedAsync(db, reclassified, cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken);
            var connection = db.Database.GetDbConnection();
            var rolled = await rollups.RolledUpAsync(connection, transaction.GetDbTransaction(), changes.Select(c => c.Click.Id).ToList(), cancellationToken);
            var delta = new ClickRollupDelta();
            foreach (var (_, _, before, after) in changes.Where(c => rolled.Contains(c.Click.Id)))
            {
                delta.Replace(before, after);
            }

            await rollups.ApplyAsync(connection, transaction.GetDbTransaction(), delta, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return changes.Count;
    }

    /// <summary>A click to reclassify around: its application, origin and time.</summary>
    private sealed record Anchor(Guid ApplicationId, string Origin, DateTime ClickedAt);
}
