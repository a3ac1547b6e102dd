using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Mapping;
using LinkTracking.Domain.Webhooks;

namespace LinkTracking.Application.Links.Common;

/// <summary>Turns a link on or off, saves it and drops it from every instance's cache.</summary>
public sealed class LinkActivation(
    ITrackedLinkRepository links,
    IUnitOfWork unitOfWork,
    ILinkCache cache,
    IWebhookOutbox webhooks,
    LinkDtoMapper mapper,
    TimeProvider timeProvider)
{
    public async Task<LinkDto> SetActiveAsync(string trackingId, bool active, CancellationToken cancellationToken)
    {
        var link = await links.GetByTrackingIdAsync(trackingId, cancellationToken)
            ?? throw NotFoundException.For("Link", trackingId);
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var changed = active ? link.Activate(now) : link.Deactivate(now);
        if (changed)
        {
            if (!active)
            {
                await webhooks.AddAsync([LinkEvents.For(WebhookEventTypes.LinkDeactivated, link)], cancellationToken);
            }

            await unitOfWork.SaveChangesAsync(cancellationToken);
        }

        // Invalidate even when nothing changed: a stale cache entry must not outlive an explicit request.
        await cache.InvalidateAsync(trackingId, cancellationToken);
        return mapper.ToDto(link);
    }

}
