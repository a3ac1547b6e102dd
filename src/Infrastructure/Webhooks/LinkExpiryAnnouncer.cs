using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Links.Common;
using LinkTracking.Domain.Links;
using LinkTracking.Domain.Webhooks;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracking.Infrastructure.Webhooks;

/// <summary>
/// <c>link.expired</c>: active links whose <c>expires_at</c> has passed and that were not announced for it, one batch
/// per transaction; each is marked by an UPDATE conditional on the mark being unset, and only the winner's event is
/// added to the outbox, so several nodes announce each link once.
/// </summary>
public sealed class LinkExpiryAnnouncer(IServiceScopeFactory scopes, TimeProvider timeProvider)
{
    /// <summary>Links announced as expired per transaction.</summary>
    public const int BatchSize = 200;

    /// <summary>Announces the next batch. Returns how many were announced.</summary>
    public async Task<int> AnnounceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>();
        var outbox = scope.ServiceProvider.GetRequiredService<IWebhookOutbox>();
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var due = await db.Links.AsNoTracking()
            .Where(l => l.ExpiryAnnouncedAt == null && l.ExpiresAt != null && l.ExpiresAt <= now && l.IsActive && l.LinkFunction != LinkFunction.Decoy)
            .OrderBy(l => l.ExpiresAt)
            .ThenBy(l => l.Id) // one order on every node: their conditional updates never wait on each other in a cycle
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var events = new List<WebhookEventDraft>(due.Count);
        foreach (var link in due)
        {
            var expiresAt = link.ExpiresAt;
            var marked = await db.Links
                .Where(l => l.Id == link.Id && l.ExpiryAnnouncedAt == null && l.ExpiresAt == expiresAt)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiryAnnouncedAt, now), cancellationToken);
            if (marked == 1)
            {
                events.Add(LinkEvents.For(WebhookEventTypes.LinkExpired, link));
            }
        }

        await outbox.AddAsync(events, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return events.Count;
    }
}
