using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Application.Clicks.Enrichment;
using LinkTracking.Application.Clicks.Labels;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using Microsoft.Extensions.Options;

namespace LinkTracking.Application.Clicks.Common;

/// <summary>
/// Builds <see cref="LinkClick"/>s the same way for every entry point: detects the click source, classifies the
/// click from what is known when it arrives (<see cref="IClickClassifier"/>) and by the operator rules for its origin
/// (<see cref="IOriginRules"/>, made by user labels), enriches it (<see cref="IClickEnricher"/>), and notes its origin
/// for the after-the-fact rules (bursts, decoys).
/// </summary>
public sealed class ClickFactory(
    IOptions<LinkTrackingOptions> options, IClickClassifier classifier, INetworkLookup networks, IClickEnricher enricher, IOriginRules rules)
{
    private readonly string[] _dashboardHosts = [.. options.Value.DashboardHosts];

    /// <summary>Builds a click; a null or empty <paramref name="clickSource"/> is detected from the referrer.</summary>
    /// <param name="trackingId">The link.</param>
    /// <param name="facts">The request as seen (time, address, agent, headers) and the link's <c>sent_at</c>.</param>
    /// <param name="referrerUrl">The referrer, already cut to its limit.</param>
    /// <param name="sessionId">The session.</param>
    /// <param name="clickSource">A partner's explicit source, or null to detect it.</param>
    /// <param name="metadata">A JSON object, or null.</param>
    /// <param name="eventId">A partner's idempotency key.</param>
    /// <param name="withoutPersonalData">Do-Not-Track honoured: classified, but no address, agent, session or origin kept.</param>
    /// <param name="onDecoy">The link is an application's hidden decoy: whoever follows it is a scanner.</param>
    /// <param name="variant">The key of the A/B variant the visitor was sent to, or null.</param>
    public LinkClick Create(
        TrackingId trackingId,
        ClickFacts facts,
        string? referrerUrl,
        string? sessionId,
        string? clickSource,
        string? metadata,
        string? eventId,
        bool withoutPersonalData = false,
        bool onDecoy = false,
        string? variant = null)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var source = string.IsNullOrEmpty(clickSource) ? ClickSource.Detect(referrerUrl, _dashboardHosts) : clickSource;
        var classification = classifier.Classify(facts);
        // Enriched before Do-Not-Track drops the address and agent: a country and a device family identify nobody.
        var enrichment = enricher.Enrich(facts.IpAddress, facts.UserAgent);
        var (ipAddress, userAgent) = (facts.IpAddress, facts.UserAgent);
        string? origin = null;
        if (withoutPersonalData)
        {
            // Do-Not-Track / GPC: counted and classified, but neither address, user agent nor session is kept.
            (ipAddress, userAgent, sessionId) = (null, null, null);
        }
        else if (ipAddress is not null)
        {
            origin = ClickOrigin.Of(ipAddress, networks.Lookup(ipAddress));
        }

        var click = LinkClick.Record(new ClickDetails(
            trackingId, facts.ClickedAt, ipAddress, userAgent, referrerUrl, sessionId, source, metadata, eventId, classification)
        {
            Origin = origin,
            Enrichment = enrichment,
            Variant = variant,
        });
        if (!rules.IsEmpty && facts.IpAddress is not null
            && rules.TryGet(origin ?? ClickOrigin.Of(facts.IpAddress, networks.Lookup(facts.IpAddress))!, out var rule))
        {
            // An operator said what this origin's clicks are; a decoy hit below still makes a scanner of it.
            click.Label(rule.Category, ClickSignals.OriginRule);
        }

        if (onDecoy)
        {
            click.Reclassify(BotCategory.Scanner, ClickSignals.Decoy);
        }

        return click;
    }
}
