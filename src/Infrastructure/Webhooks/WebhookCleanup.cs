using LinkTracking.Application.Common.Options;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Webhooks;

/// <summary>
/// Deletes finished outbox rows (delivered or given up) completed, and delivery log rows attempted, more than
/// <see cref="WebhookOptions.KeepDeliveriesDays"/> ago, and alert episodes closed that long ago — in batches of
/// <see cref="DeleteBatchSize"/>. Pending rows are never touched.
/// </summary>
public sealed class WebhookCleanup(IServiceScopeFactory scopes, IOptions<WebhookOptions> options, TimeProvider timeProvider)
{
    /// <summary>Rows deleted per statement, and the most statements per table and round.</summary>
    public const int DeleteBatchSize = 1000;

    public const int MaxDeleteBatches = 50;

    /// <summary>Returns how many rows were deleted.</summary>
    public async Task<long> DeleteOldAsync(CancellationToken cancellationToken)
    {
        var cutoff = timeProvider.GetUtcNow().UtcDateTime.AddDays(-options.Value.KeepDeliveriesDays);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>();
        long deleted = 0;
        deleted += await InBatchesAsync(() => db.WebhookDeliveries
            .Where(d => d.AttemptedAt < cutoff)
            .OrderBy(d => d.AttemptedAt)
            .Take(DeleteBatchSize)
            .ExecuteDeleteAsync(cancellationToken));
        deleted += await InBatchesAsync(() => db.WebhookOutbox
            .Where(m => m.Status != WebhookOutboxStatus.Pending && m.CompletedAt != null && m.CompletedAt < cutoff)
            .OrderBy(m => m.CompletedAt)
            .Take(DeleteBatchSize)
            .ExecuteDeleteAsync(cancellationToken));
        deleted += await db.WebhookAlertEpisodes.Where(e => e.ClearedAt != null && e.ClearedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        return deleted;
    }

    private static async Task<long> InBatchesAsync(Func<Task<int>> deleteBatch)
    {
        long total = 0;
        for (var i = 0; i < MaxDeleteBatches; i++)
        {
            var n = await deleteBatch();
            total += n;
            if (n < DeleteBatchSize)
            {
                break;
            }
        }

        return total;
    }
}
