using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Links;

namespace LinkTracking.Application.Links.Common;

/// <summary>The <c>data</c> of the <c>link.*</c> webhook events.</summary>
public sealed record LinkEventData(
    string TrackingId,
    string OriginalUrl,
    string LinkFunction,
    string LinkType,
    Guid? JobId,
    Guid? ApplicationId,
    bool IsActive,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? ExpiresAt);

public static class LinkEvents
{
    public static WebhookEventDraft For(string type, TrackedLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return new WebhookEventDraft(type, link.JobId, link.ApplicationId, new LinkEventData(
            link.TrackingId.Value, link.OriginalUrl.Value, link.LinkFunction, link.LinkType, link.JobId, link.ApplicationId, link.IsActive, link.CreatedAt, link.UpdatedAt, link.ExpiresAt));
    }
}
