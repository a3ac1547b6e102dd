using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Links;
using LinkTracking.Domain.Outcomes;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.Analytics;

/// <summary>
/// One grouped read of a link's raw clicks that carry a variant, on the partial <c>(tracking_id, variant)</c> index
/// (plain links' clicks are not in it), bounded by <c>Database:QueryTimeout</c>. Sessions are counted exactly. A
/// summary's links are read together: their clicks joined on that index and grouped by link and variant; outcomes by
/// variant then probe <c>application_outcomes (application_id, stage)</c> per application.
/// </summary>
public sealed class VariantClickQueries(LinkTrackingDbContext db, BoundedReads reads) : IVariantClickQueries
{
    public Task<IReadOnlyList<VariantClicks>> GetVariantClicksAsync(string trackingId, DateTime? from, bool includeBots, CancellationToken cancellationToken) =>
        reads.RunAsync(ct => ReadAsync(TrackingId.Parse(trackingId), from, includeBots, ct), cancellationToken);

    private async Task<IReadOnlyList<VariantClicks>> ReadAsync(TrackingId id, DateTime? from, bool includeBots, CancellationToken cancellationToken)
    {
        var clicks = db.Clicks.AsNoTracking().Where(c => c.TrackingId == id && c.Variant != null);
        // Most links have no variant clicks: the partial index says so at once. (The grouped read below, planned on a
        // partition's stale statistics, scanned the hot link's whole period on (tracking_id, clicked_at).)
        if (!await clicks.AnyAsync(cancellationToken))
        {
            return [];
        }

        if (from is { } start)
        {
            clicks = clicks.Where(c => c.ClickedAt >= start);
        }

        var rows = await clicks
            .GroupBy(c => c.Variant!)
            .Select(g => new
            {
                Key = g.Key,
                Human = g.Count(c => !c.IsBot),
                Bots = g.Count(c => c.IsBot),
                Sessions = g.Where(c => includeBots || !c.IsBot).Select(c => c.SessionId).Distinct().Count(),
            })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new VariantClicks(r.Key, includeBots ? r.Human + r.Bots : r.Human, r.Human, r.Sessions)).OrderBy(v => v.Key, StringComparer.Ordinal)];
    }

    public Task<IReadOnlyList<LinkVariantClicks>> GetScopeVariantClicksAsync(LinkScope scope, bool includeBots, CancellationToken cancellationToken) =>
        reads.RunAsync(ct => ReadScopeAsync(scope, includeBots, ct), cancellationToken);

    public Task<IReadOnlyList<VariantOutcomeCounts>> GetVariantOutcomesAsync(LinkScope scope, DateTime? sentFrom, CancellationToken cancellationToken) =>
        reads.RunAsync(ct => ReadOutcomesAsync(scope, sentFrom, ct), cancellationToken);

    private async Task<IReadOnlyList<LinkVariantClicks>> ReadScopeAsync(LinkScope scope, bool includeBots, CancellationToken cancellationToken)
    {
        var links = ScopedLinks.In(db.Links.AsNoTracking(), scope);
        var rows = await (
            from l in links
            join c in db.Clicks.AsNoTracking() on l.TrackingId equals c.TrackingId
            where c.Variant != null
            select c)
            .GroupBy(c => new { c.TrackingId, Key = c.Variant! })
            .Select(g => new
            {
                g.Key.TrackingId,
                g.Key.Key,
                Human = g.Count(c => !c.IsBot),
                Bots = g.Count(c => c.IsBot),
                Sessions = g.Where(c => includeBots || !c.IsBot).Select(c => c.SessionId).Distinct().Count(),
            })
            .ToListAsync(cancellationToken);
        var current = await links
            .Where(l => l.Variants != null)
            .Select(l => new { l.TrackingId, l.Variants })
            .ToListAsync(cancellationToken);

        var variantsById = current.ToDictionary(l => l.TrackingId.Value, l => l.Variants, StringComparer.Ordinal);
        var clicksById = rows
            .GroupBy(r => r.TrackingId.Value, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyList<VariantClicks>)[.. g.Select(r => new VariantClicks(r.Key, includeBots ? r.Human + r.Bots : r.Human, r.Human, r.Sessions)).OrderBy(v => v.Key, StringComparer.Ordinal)],
                StringComparer.Ordinal);
        return [.. variantsById.Keys.Union(clicksById.Keys, StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(id => new LinkVariantClicks(id, variantsById.GetValueOrDefault(id), clicksById.GetValueOrDefault(id) ?? []))];
    }

    private async Task<IReadOnlyList<VariantOutcomeCounts>> ReadOutcomesAsync(LinkScope scope, DateTime? sentFrom, CancellationToken cancellationToken)
    {
        var links = ScopedLinks.In(db.Links.AsNoTracking(), scope).Where(l => l.ApplicationId != null);

        var outcomes = db.ApplicationOutcomes.AsNoTracking();
        var replied = OutcomeStage.ReachedReply.ToList();
        var interview = OutcomeStage.ReachedInterview.ToList();
        var offer = OutcomeStage.ReachedOffer.ToList();

        // Each application's first human click on a variant of a link of each function: the variant it landed on.
        var firstLandings = await (
            from l in links
            join c in db.Clicks.AsNoTracking() on l.TrackingId equals c.TrackingId
            where c.Variant != null && !c.IsBot
            select new { l.ApplicationId, l.LinkFunction, Variant = c.Variant!, c.ClickedAt, c.Id })
            .GroupBy(x => new { x.ApplicationId, x.LinkFunction })
            .Select(g => g.OrderBy(x => x.ClickedAt).ThenBy(x => x.Id).First())
            .ToListAsync(cancellationToken);
        if (sentFrom is { } from && firstLandings.Count > 0)
        {
            // Only applications sent from then on (no link created before it), with all their links: as the funnel.
            var landed = firstLandings.Select(f => f.ApplicationId).Distinct().ToList();
            var sentBefore = (await links
                    .Where(l => landed.Contains(l.ApplicationId) && l.CreatedAt < from)
                    .Select(l => l.ApplicationId)
                    .Distinct()
                    .ToListAsync(cancellationToken))
                .ToHashSet();
            firstLandings = [.. firstLandings.Where(f => !sentBefore.Contains(f.ApplicationId))];
        }

        if (firstLandings.Count == 0)
        {
            return [];
        }

        var applicationIds = firstLandings.Select(f => f.ApplicationId!.Value).Distinct().ToList();
        var reached = await outcomes
            .Where(o => applicationIds.Contains(o.ApplicationId))
            .GroupBy(o => o.ApplicationId)
            .Select(g => new
            {
                ApplicationId = g.Key,
                Replied = g.Any(o => replied.Contains(o.Stage)),
                Interview = g.Any(o => interview.Contains(o.Stage)),
                Offer = g.Any(o => offer.Contains(o.Stage)),
            })
            .ToDictionaryAsync(r => r.ApplicationId, cancellationToken);

        return [.. firstLandings
            .GroupBy(f => (f.LinkFunction, f.Variant))
            .Select(g => new VariantOutcomeCounts(
                g.Key.LinkFunction,
                g.Key.Variant,
                new OutcomeCounts(
                    g.Count(),
                    g.Count(f => reached.TryGetValue(f.ApplicationId!.Value, out var r) && r.Replied),
                    g.Count(f => reached.TryGetValue(f.ApplicationId!.Value, out var r) && r.Interview),
                    g.Count(f => reached.TryGetValue(f.ApplicationId!.Value, out var r) && r.Offer))))];
    }
}
