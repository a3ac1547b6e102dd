using LinkTracking.Domain.Links;

namespace LinkTracking.Application.Common.Interfaces;

/// <summary>Persistence of the <see cref="TrackedLink"/> aggregate.</summary>
public interface ITrackedLinkRepository
{
    Task<TrackedLink?> GetByTrackingIdAsync(string trackingId, CancellationToken cancellationToken);

    Task<bool> TrackingIdExistsAsync(string trackingId, CancellationToken cancellationToken);

    /// <summary>Whether a link on <paramref name="domain"/> already has <paramref name="shortCode"/>.</summary>
    Task<bool> ShortCodeExistsAsync(string domain, string shortCode, CancellationToken cancellationToken);

    /// <summary>The tracking id of the link on <paramref name="domain"/> with <paramref name="shortCode"/>; null when none.</summary>
    Task<string?> FindTrackingIdByShortCodeAsync(string domain, string shortCode, CancellationToken cancellationToken);

    /// <summary>Reads the redirect view of a link without tracking it; null when unknown.</summary>
    Task<Models.LinkTarget?> FindTargetAsync(TrackingId trackingId, CancellationToken cancellationToken);

    Task<IReadOnlyList<TrackedLink>> ListByApplicationAsync(Guid applicationId, CancellationToken cancellationToken);

    Task<(IReadOnlyList<TrackedLink> Items, int Total)> ListAsync(LinkFilter filter, int page, int pageSize, CancellationToken cancellationToken);

    void Add(TrackedLink link);
}

/// <summary>Filters of the link list; null means "any".</summary>
public sealed record LinkFilter(Guid? JobId, Guid? ApplicationId, string? LinkFunction, bool? IsActive);
