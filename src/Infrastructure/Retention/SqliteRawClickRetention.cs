using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.Retention;

/// <summary>
/// SQLite keeps one <c>link_clicks</c> table (the embedded default for small installs): nothing to prepare, and
/// retention deletes the rows older than the cutoff in batches, each its own short transaction, so the redirect's
/// click writer is never kept out of the file for long.
/// </summary>
public sealed class SqliteRawClickRetention(LinkTrackingDbContext db) : IRawClickStorage
{
    public const int BatchSize = 5000;

    public Task PrepareAsync(DateTime now, int monthsAhead, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<RetentionResult> RemoveOlderThanAsync(DateTime cutoff, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            var batch = db.Clicks.Where(c => c.ClickedAt < cutoff).Select(c => c.Id).Take(BatchSize);
            var deleted = await db.Clicks.Where(c => batch.Contains(c.Id)).ExecuteDeleteAsync(cancellationToken);
            total += deleted;
            if (deleted < BatchSize)
            {
                return new RetentionResult(0, total);
            }
        }
    }
}
