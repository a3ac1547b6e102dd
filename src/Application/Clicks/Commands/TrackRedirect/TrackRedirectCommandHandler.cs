using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Application.Clicks.Common;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Options;
using LinkTracking.Application.Common.Models;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using Mediator;
using Microsoft.Extensions.Options;

namespace LinkTracking.Application.Clicks.Commands.TrackRedirect;

/// <summary>
/// Resolves the link from the cache, classifies and records the click; returns only once the click is durable (see
/// <see cref="IClickRecorder"/>), never waiting on analytics. Decides, in one place, what Do-Not-Track means.
/// </summary>
public sealed class TrackRedirectCommandHandler(
    ILinkCache cache,
    ClickFactory clickFactory,
    IClickRecorder recorder,
    IHumanClickCounts humanClicks,
    ISessionIds sessionIds,
    TimeProvider timeProvider,
    IOptions<PrivacyOptions> privacy) : ICommandHandler<TrackRedirectCommand, TrackRedirectResult>
{
    private readonly bool _honorDoNotTrack = privacy.Value.HonorDoNotTrack;

    public async ValueTask<TrackRedirectResult> Handle(TrackRedirectCommand command, CancellationToken cancellationToken)
    {
        var link = await cache.GetAsync(command.TrackingId, cancellationToken);
        if (link is null)
        {
            return new TrackRedirectResult(null) { Unknown = true };
        }

        if (!link.IsActive || !string.Equals(link.Domain, command.Domain, StringComparison.Ordinal))
        {
            return default;
        }

        var now = timeProvider.GetUtcNow().UtcDateTime;
        if (await IsSpentAsync(link, now, cancellationToken))
        {
            // A spent link records no click: the visitor never reaches the destination.
            return new TrackRedirectResult(link.FallbackUrl, Spent: true);
        }

        var request = command.Request;
        var withoutPersonalData = _honorDoNotTrack && request.DoNotTrack;
        var newSessionId = request.SessionId is null && !withoutPersonalData ? sessionIds.New() : null;
        var (location, variant) = (link.OriginalUrl, (string?)null);
        if (link.Variants is { Count: > 0 } variants)
        {
            (location, variant, newSessionId) = ChooseVariant(variants, request, newSessionId);
        }

        // Metadata over the limit (many long utm_* values) is dropped: it cannot be cut without breaking the JSON,
        // and it must not cost the visitor the redirect or the click.
        var metadata = request.Metadata is { Length: > LinkClick.MaxMetadataLength } ? null : request.Metadata;
        var facts = new ClickFacts(
            request.Method,
            request.IpAddress,
            Truncate(request.UserAgent, LinkClick.MaxUserAgentLength),
            request.Headers,
            now,
            link.SentAt);
        var click = clickFactory.Create(
            command.TrackingId,
            facts,
            Truncate(request.Referrer, LinkClick.MaxReferrerLength),
            Truncate(request.SessionId ?? newSessionId, LinkClick.MaxSessionIdLength),
            clickSource: request.Source,
            metadata,
            eventId: request.RequestId,
            withoutPersonalData,
            link.IsDecoy,
            variant);

        // A browser click must not be lost; nor may the redirect wait for a caller that gave up.
        await recorder.RecordAsync(click, CancellationToken.None);
        if (link.MaxHumanClicks is not null && click.BotCategory == BotCategory.Human)
        {
            humanClicks.NoteHumanClick(link.TrackingId);
        }

        return new TrackRedirectResult(location, newSessionId);
    }

    /// <summary>
    /// The visitor's variant, sticky without a lookup (ADR 0025): keyed by its session cookie, else by its masked
    /// address and agent; a new visitor's session id carries that key, so its next click lands on the same variant.
    /// </summary>
    private static (string Location, string Variant, string? NewSessionId) ChooseVariant(
        IReadOnlyList<VariantTarget> variants, RedirectRequest request, string? newSessionId)
    {
        ulong visitor;
        if (request.SessionId is { } session)
        {
            visitor = VariantAssignment.ForSession(session);
        }
        else
        {
            visitor = VariantAssignment.ForAddress(request.IpAddress, request.UserAgent);
            if (newSessionId is not null)
            {
                newSessionId = VariantAssignment.SeedSession(newSessionId, visitor);
            }
        }

        var chosen = variants[VariantAssignment.Choose(visitor, variants, static v => v.Key, static v => v.Weight)];
        return (chosen.Url, chosen.Key, newSessionId);
    }

    /// <summary>Expired, or its human clicks reached the limit. Only a limited link asks for its count.</summary>
    private async ValueTask<bool> IsSpentAsync(LinkTarget link, DateTime now, CancellationToken cancellationToken)
    {
        if (link.ExpiresAt is { } expiresAt && now >= expiresAt)
        {
            return true;
        }

        return link.MaxHumanClicks is { } max && await humanClicks.GetAsync(link.TrackingId, cancellationToken) >= max;
    }

    /// <summary>Cuts to at most <paramref name="max"/> UTF-16 units, never between the two halves of a surrogate pair
    /// (half a pair is not text: PostgreSQL cannot store it and the click would be lost).</summary>
    private static string? Truncate(string? value, int max)
    {
        if (value is not { Length: > 0 } || value.Length <= max)
        {
            return value;
        }

        return char.IsHighSurrogate(value[max - 1]) ? value[..(max - 1)] : value[..max];
    }
}
