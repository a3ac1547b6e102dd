using System.Net;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using Microsoft.Extensions.Options;

namespace LinkTracking.Application.Clicks.Common;

/// <summary>Builds <see cref="LinkClick"/>s: detects the click source and classifies bots, the same way for every entry point.</summary>
public sealed class ClickFactory(IOptions<LinkTrackingOptions> options)
{
    private readonly string[] _dashboardHosts = [.. options.Value.DashboardHosts];

    /// <summary>Builds a click; a null or empty <paramref name="clickSource"/> is detected from the referrer.</summary>
    public LinkClick Create(
        TrackingId trackingId,
        DateTime clickedAt,
        IPAddress? ipAddress,
        string? userAgent,
        string? referrerUrl,
        string? sessionId,
        string? clickSource,
        string? metadata,
        string? eventId,
        bool isHeadRequest = false,
        bool withoutPersonalData = false)
    {
        var source = string.IsNullOrEmpty(clickSource) ? ClickSource.Detect(referrerUrl, _dashboardHosts) : clickSource;
        var botReason = BotClassifier.Classify(isHeadRequest, userAgent);
        if (withoutPersonalData)
        {
            // Do-Not-Track / GPC: counted and classified, but neither address, user agent nor session is kept.
            (ipAddress, userAgent, sessionId) = (null, null, null);
        }

        return LinkClick.Record(new ClickDetails(
            trackingId, clickedAt, ipAddress, userAgent, referrerUrl, sessionId, source, metadata, eventId, botReason));
    }
}
