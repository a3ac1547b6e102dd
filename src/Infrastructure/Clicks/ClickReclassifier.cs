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
/// Applies the after-the-fact rules (<see cref="AfterTheFactRules"/>: bursts, decoys) around clicks just written — run
/// by the rollup worker over each round's window, before it counts it (ADR 0021):
/// finds the stored clicks of the same applications and origins near them, and reclassifies those that earn a
/// signal (<see cref="LinkClick.Reclassify"/>), in one transaction with the matching change of the hourly rollups
/// (out of the old category, into the new one). Idempotent, so it may run twice over the same clicks — which it does
/// when the journal replays a segment after a crash. Two reclassifications of the same click at once cannot both
/// count it: <c>bot_category</c> is a concurrency token, so the second fails and its batch is written again.
/// </summary>
public sealed class ClickReclassifier(
    IServiceScopeFactory scopes, IOptions<ClickClassificationOptions> options, IClickRollupStore rollups, IEarnedSignals earnedSignals)
{
    private readonly ClickClassificationOptions _options = options.Value;

    /// <summary>
    /// Reclassifies around the clicks the rollup worker is about to count: those numbered in
    /// (<paramref name="fromSeq"/>, <paramref name="toSeq"/>] (ADR 0021). Off the ingest path: the mover's transaction
    /// holds the clicks only. Returns the number of clicks reclassified.
    /// </summary>
    public async Task<int> ReclassifyWindowAsync(long fromSeq, long toSeq, CancellationToken cancellationToken) =>
        toSeq <= fromSeq ? 0 : await ReclassifyAsync(ClickAnchors.Window(fromSeq, toSeq), cancellationToken);

    /// <summary>Reclassifies around some stored clicks (by id). Returns the number of clicks reclassified.</summary>
    public async Task<int> ReclassifyAroundAsync(IReadOnlyList<LinkClick> written, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(written);
        var ids = written.Where(c => c.Origin is not null).Select(c => c.Id).ToList();
        return ids.Count == 0 ? 0 : await ReclassifyAsync(ClickAnchors.Of(ids), cancellationToken);
    }

    private async Task<int> ReclassifyAsync(ClickAnchors anchors, CancellationToken cancellationToken)
    {
        if (!_options.BurstRule && !_options.DecoyRule)
        {
            return 0;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>();

        // The rules run where the clicks are; only the clicks that earn a signal they do not have yet are loaded to change.
        var earned = await earnedSignals.FindAsync(db, anchors, _options, cancellationToken);
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
            foreach (var observer in scope.ServiceProvider.GetServices<IClickReclassificationObserver>())
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
}
