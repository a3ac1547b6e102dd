using LinkTracking.Application.Common.Models;
using LinkTracking.Domain.Links;

namespace LinkTracking.Application.Common.Interfaces;

/// <summary>
/// The redirect's view of links, cached in process (and in Redis when configured). Unknown ids are cached
/// negatively for a short time. Invalidation reaches every instance.
/// </summary>
public interface ILinkCache
{
    ValueTask<LinkTarget?> GetAsync(TrackingId trackingId, CancellationToken cancellationToken);

    /// <summary>
    /// The tracking id behind a branded short link, cached like the link itself (a domain and code never change, so the
    /// entry needs no invalidation); null when no link on <paramref name="domain"/> has <paramref name="shortCode"/>.
    /// </summary>
    ValueTask<TrackingId?> FindByShortCodeAsync(string domain, string shortCode, CancellationToken cancellationToken);

    ValueTask InvalidateAsync(string trackingId, CancellationToken cancellationToken);
}
