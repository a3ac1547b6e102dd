using System.Net;
using Mediator;

namespace LinkTracking.Application.Clicks.Commands.TrackRedirect;

/// <summary>
/// A browser followed <c>/track/{tracking_id}</c>. The hot path: no mapper, no change tracking, no validator;
/// the tracking id has been checked for shape by the caller.
/// </summary>
public sealed record TrackRedirectCommand(
    string TrackingId,
    bool IsHeadRequest,
    IPAddress? IpAddress,
    string? UserAgent,
    string? Referrer,
    string? SessionId,
    string? Metadata,
    bool DoNotTrack) : ICommand<TrackRedirectResult>;

/// <summary><see cref="Location"/> is null when the link is unknown or inactive.</summary>
public readonly record struct TrackRedirectResult(string? Location)
{
    public bool Found => Location is not null;
}
