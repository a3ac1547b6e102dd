using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.Analytics.Rollups;

/// <summary>
/// Recomputes every rollup from the raw clicks (<c>dotnet WebApi.dll rollups rebuild</c>): after restoring raw clicks
/// from a backup, or to check the maintained rollups. Clicks cannot change while it runs (PostgreSQL: a SHARE lock on
/// <c>link_clicks</c>; SQLite: the one writer), so writers wait for it rather than being missed.
/// </summary>
public sealed class ClickRollupRebuilder(LinkTrackingDbContext db, IClickRollupStore store)
{
    /// <summary>Returns the number of clicks counted.</summary>
    public async Task<long> RebuildAsync(CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            return await store.RebuildAsync(db.Database.GetDbConnection(), cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
