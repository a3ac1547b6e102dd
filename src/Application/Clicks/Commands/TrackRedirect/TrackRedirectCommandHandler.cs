using LinkTracking.Application.Clicks.Common;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using Mediator;
using Microsoft.Extensions.Options;

namespace LinkTracking.Application.Clicks.Commands.TrackRedirect;

/// <summary>
/// Resolves the link from the cache and records the click; returns only once the click is durable (see
/// <see cref="IClickRecorder"/>), never waiting on analytics.
/// </summary>
public sealed class TrackRedirectCommandHandler(
    ILinkCache cache,
    ClickFactory clickFactory,
    IClickRecorder recorder,
    TimeProvider timeProvider,
    IOptions<PrivacyOptions> privacy) : ICommandHandler<TrackRedirectCommand, TrackRedirectResult>
{
    private readonly bool _honorDoNotTrack = privacy.Value.HonorDoNotTrack;

    public async ValueTask<TrackRedirectResult> Handle(TrackRedirectCommand command, CancellationToken cancellationToken)
    {
        var link = await cache.GetAsync(command.TrackingId, cancellationToken);
        if (link is not { IsActive: true })
        {
            return default;
        }

        // Metadata over the limit (many long utm_* values) is dropped: it cannot be cut without breaking the JSON,
        // and it must not cost the visitor the redirect or the click.
        var metadata = command.Metadata is { Length: > LinkClick.MaxMetadataLength } ? null : command.Metadata;
        var click = clickFactory.Create(
            TrackingId.Parse(link.TrackingId),
            timeProvider.GetUtcNow().UtcDateTime,
            command.IpAddress,
            Truncate(command.UserAgent, LinkClick.MaxUserAgentLength),
            Truncate(command.Referrer, LinkClick.MaxReferrerLength),
            Truncate(command.SessionId, LinkClick.MaxSessionIdLength),
            clickSource: null,
            metadata,
            eventId: null,
            command.IsHeadRequest,
            withoutPersonalData: _honorDoNotTrack && command.DoNotTrack);

        // A browser click must not be lost; nor may the redirect wait for a caller that gave up.
        await recorder.RecordAsync(click, CancellationToken.None);
        return new TrackRedirectResult(link.OriginalUrl);
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
