using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Links;

namespace LinkTracking.Infrastructure.Analytics;

/// <summary>The links a <see cref="LinkScope"/> covers: one link, or a job's, an application's or all links but decoys.</summary>
internal static class ScopedLinks
{
    public static IQueryable<TrackedLink> In(IQueryable<TrackedLink> links, LinkScope scope)
    {
        if (scope.TrackingId is { } trackingId)
        {
            var id = TrackingId.Parse(trackingId);
            return links.Where(l => l.TrackingId == id);
        }

        // The decoy is left out of every count but its own.
        links = links.Where(l => l.LinkFunction != LinkFunction.Decoy);

        if (scope.JobId is { } jobId)
        {
            links = links.Where(l => l.JobId == jobId);
        }

        if (scope.ApplicationId is { } applicationId)
        {
            links = links.Where(l => l.ApplicationId == applicationId);
        }

        return links;
    }
}
