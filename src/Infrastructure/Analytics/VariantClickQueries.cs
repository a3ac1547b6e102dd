using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.Analytics;

/// <summary>
/// One grouped read of a link's raw clicks that carry a variant, on the partial <c>(tracking_id, variant)</c> index
/// (plain links' clicks are not in it), bounded by <c>Database:QueryTimeout</c>. Sessions are counted exactly.
/// </summary>
public sealed class VariantClickQueries(LinkTrackingDbContext db, BoundedReads reads) : IVariantClickQueries
{
    public Task<IReadOnlyList<VariantClicks>> GetVariantClicksAsync(string trackingId, DateTime? from, bool includeBots, CancellationToken cancellationToken) =>
        reads.RunAsync(ct => ReadAsync(TrackingId.Parse(trackingId), from, includeBots, ct), cancellationToken);

    private async Task<IReadOnlyList<VariantClicks>> ReadAsync(TrackingId id, DateTime? from, bool includeBots, CancellationToken cancellationToken)
    {
        var clicks = db.Clicks.AsNoTracking().Where(c => c.TrackingId == id && c.Variant != null);
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
}
