using System.Net;
using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Domain.Links;
using Mediator;

namespace LinkTracking.Application.Clicks.Commands.TrackRedirect;

/// <summary>
/// A browser (or a scanner) followed <c>/track/{tracking_id}</c>. The hot path: no mapper, no change tracking, no
/// validator; the tracking id was parsed once by the caller, the request read once (<see cref="RedirectRequest"/>).
/// </summary>
public sealed record TrackRedirectCommand(TrackingId TrackingId, RedirectRequest Request) : ICommand<TrackRedirectResult>
{
    /// <summary>
    /// The configured branded host the request came in on (lower case), or null for any other host. A link is served
    /// only on its own domain: a link on another one answers like an inactive link (404), and no click is recorded.
    /// </summary>
    public string? Domain { get; init; }
}

/// <summary>
/// What the redirect's request says, gathered once by the web layer's request reader.
/// </summary>
/// <param name="Method">GET, HEAD or OPTIONS.</param>
/// <param name="IpAddress">The client address (behind trusted proxies, the forwarded one).</param>
/// <param name="UserAgent">The User-Agent, if any.</param>
/// <param name="Referrer">The Referer, if any.</param>
/// <param name="SessionId">The visitor's session cookie, when it has a well-formed one.</param>
/// <param name="Metadata">The request's <c>utm_*</c> parameters as a JSON object, or null.</param>
/// <param name="DoNotTrack">The request carries <c>DNT: 1</c> or <c>Sec-GPC: 1</c>.</param>
/// <param name="Headers">The headers the classifier reads.</param>
/// <param name="Source">A click source the link itself carries (<c>?src=qr</c> on a QR code's URL), or null to detect it.</param>
/// <param name="RequestId">
/// A trusted load balancer's id of the request, the same when it sends the request again to another node: the click's
/// idempotency key (its <c>event_id</c>), so the click is stored once per link and id. Null: none given or believed.
/// </param>
public sealed record RedirectRequest(
    string Method,
    IPAddress? IpAddress,
    string? UserAgent,
    string? Referrer,
    string? SessionId,
    string? Metadata,
    bool DoNotTrack,
    ClientHeaders Headers,
    string? Source = null,
    string? RequestId = null);

/// <summary>
/// <see cref="Location"/> is null when the link is unknown or inactive. <see cref="NewSessionId"/> is the session
/// cookie to set: a new visitor's, unless Do-Not-Track is honoured. <see cref="Spent"/>: the link expired or used up
/// its human clicks; <see cref="Location"/> is then its fallback, or null for 410 Gone.
/// </summary>
public readonly record struct TrackRedirectResult(string? Location, string? NewSessionId = null, bool Spent = false)
{
    /// <summary>No link has this id (as opposed to an inactive one): the request is an orphan visit.</summary>
    public bool Unknown { get; init; }

    public bool Found => Location is not null;
}
