using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LinkTracking.Infrastructure.Webhooks;

/// <summary>
/// The episodes of the alerts (<see cref="WebhookAlertEpisode"/>): an alert whose condition holds opens its episode
/// and adds its event to the outbox in one transaction — a second node finds it open, or loses the insert, and sends
/// nothing. An episode is announced once; a rule that <see cref="IWebhookAlertRule.Recurs"/> closes it when its
/// condition is gone, and a later occurrence is a new one.
/// </summary>
public sealed partial class WebhookAlertEpisodes(IServiceScopeFactory scopes, TimeProvider timeProvider, ILogger<WebhookAlertEpisodes> logger)
{
    /// <summary>Keys (and subjects) per statement.</summary>
    public const int ChunkSize = 500;

    /// <summary>Evaluates <paramref name="rule"/> now: closes the episodes it no longer finds, raises the new ones. Returns how many were raised.</summary>
    public async Task<int> CheckAsync(IWebhookAlertRule rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        IReadOnlyList<WebhookAlert> found;
        await using (var scope = scopes.CreateAsyncScope())
        {
            found = await rule.FindAsync(scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>(), timeProvider.GetUtcNow().UtcDateTime, cancellationToken);
        }

        var open = rule.Recurs ? await CloseAllButAsync(rule, [.. found.Select(a => a.Key)], cancellationToken) : [];
        var raised = 0;
        foreach (var alert in found)
        {
            // Still in its condition since an earlier round: nothing to send, no write transaction to open.
            if (!open.Contains(alert.Key) && await RaiseAsync(alert, cancellationToken))
            {
                raised++;
            }
        }

        return raised;
    }

    /// <summary>
    /// Opens the episode of <paramref name="alert"/> and adds its event to the outbox, in one transaction — unless it
    /// is open already or another node opened it first. Returns whether this call raised it.
    /// </summary>
    private async Task<bool> RaiseAsync(WebhookAlert alert, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>();
        var outbox = scope.ServiceProvider.GetRequiredService<IWebhookOutbox>();
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var key = alert.Key;
        if (await db.WebhookAlertEpisodes.AsNoTracking().AnyAsync(e => e.Key == key && e.ClearedAt == null, cancellationToken))
        {
            return false; // the usual case while a condition lasts: no write transaction for it
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var episode = await db.WebhookAlertEpisodes.AsNoTracking().FirstOrDefaultAsync(e => e.Key == key, cancellationToken);
        if (episode is { ClearedAt: null })
        {
            return false;
        }

        if (episode is null)
        {
            db.WebhookAlertEpisodes.Add(new WebhookAlertEpisode { Key = key, Type = alert.Draft.Type, RaisedAt = now });
        }
        else
        {
            var reopened = await db.WebhookAlertEpisodes
                .Where(e => e.Key == key && e.ClearedAt != null)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.ClearedAt, (DateTime?)null).SetProperty(e => e.RaisedAt, now), cancellationToken);
            if (reopened != 1)
            {
                return false;
            }
        }

        await outbox.AddAsync([alert.Draft], cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (episode is null)
        {
            return false; // another node inserted the episode first; it sends the event
        }

        await transaction.CommitAsync(cancellationToken);
        LogRaised(alert.Draft.Type, key);
        return true;
    }

    /// <summary>
    /// Closes the open episodes of the rule (of its type, or only <see cref="IWebhookAlertRule.OnlyKey"/>) except
    /// <paramref name="stillOpen"/>; returns the keys of those that stay open.
    /// </summary>
    private async Task<HashSet<string>> CloseAllButAsync(IWebhookAlertRule rule, HashSet<string> stillOpen, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>();
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var type = rule.Type;
        var onlyKey = rule.OnlyKey;
        var open = await db.WebhookAlertEpisodes.AsNoTracking()
            .Where(e => e.Type == type && e.ClearedAt == null && (onlyKey == null || e.Key == onlyKey))
            .Select(e => e.Key)
            .ToListAsync(cancellationToken);
        foreach (var chunk in open.Where(k => !stillOpen.Contains(k)).Chunk(ChunkSize))
        {
            await db.WebhookAlertEpisodes
                .Where(e => chunk.Contains(e.Key) && e.ClearedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.ClearedAt, now), cancellationToken);
        }

        return [.. open.Where(stillOpen.Contains)];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Raised {Type} ({Key})")]
    private partial void LogRaised(string type, string key);
}
