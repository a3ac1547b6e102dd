using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Links;
using LinkTracking.Domain.Webhooks;

namespace LinkTracking.Application.Links.Common;

/// <summary>What a caller asks for when creating a link; validated before it gets here.</summary>
public sealed record NewLink(
    string OriginalUrl,
    string LinkFunction,
    string? LinkType,
    Guid? JobId,
    Guid? ApplicationId,
    string? Description,
    string? CreatedBy)
{
    /// <summary>When the email carrying the link went out (UTC), if known.</summary>
    public DateTime? SentAt { get; init; }

    /// <summary>Expiry, human click limit and fallback, if any.</summary>
    public LinkLimitsRequest? Limits { get; init; }

    /// <summary>The A/B destinations (validated), or null for a plain link.</summary>
    public IReadOnlyList<VariantRequest>? Variants { get; init; }

    /// <summary>A configured branded host to place the link on (it gets a short code there), or null.</summary>
    public string? Domain { get; init; }
}

/// <summary>A link's lifecycle as asked for (validated); <see cref="ExpiresAt"/> is UTC.</summary>
public sealed record LinkLimitsRequest(DateTime? ExpiresAt, int? MaxHumanClicks, string? FallbackUrl)
{
    public LinkLimits ToLimits() => new(ExpiresAt, MaxHumanClicks, FallbackUrl is null ? null : TargetUrl.Create(FallbackUrl));
}

/// <summary>Creates links with fresh, unused tracking ids and saves them, each with its <c>link.created</c> webhook event.</summary>
public sealed class TrackedLinkFactory(ITrackedLinkRepository links, IUnitOfWork unitOfWork, IWebhookOutbox webhooks, TimeProvider timeProvider)
{
    /// <summary>A collision of 62-bit random ids is astronomically unlikely; a few retries make it impossible in practice.</summary>
    public const int MaxIdAttempts = 5;

    /// <summary>Attempts at a free short code on a domain.</summary>
    public const int MaxShortCodeAttempts = 10;

    public async Task<TrackedLink> CreateAndSaveAsync(NewLink request, CancellationToken cancellationToken)
    {
        var created = await CreateManyAsync([request], cancellationToken);
        return created[0];
    }

    public async Task<IReadOnlyList<TrackedLink>> CreateManyAsync(IReadOnlyList<NewLink> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var created = new List<TrackedLink>(requests.Count);
        foreach (var request in requests)
        {
            var trackingId = await NewTrackingIdAsync(cancellationToken);
            var link = TrackedLink.Create(
                trackingId,
                TargetUrl.Create(request.OriginalUrl),
                request.LinkFunction,
                request.LinkType,
                request.JobId,
                request.ApplicationId,
                request.Description,
                request.CreatedBy,
                now,
                request.SentAt,
                request.Limits?.ToLimits());
            if (request.Variants is { } variants)
            {
                // Part of the link from its first redirect; its history starts with the link itself.
                link.ChangeVariants(VariantRequest.ToVariants(variants), now, apiKeyId: null);
            }

            if (request.Domain is { } requested)
            {
                var domain = requested.Trim().TrimEnd('.').ToLowerInvariant();
                link.PlaceOnDomain(domain, await NewShortCodeAsync(domain, cancellationToken));
            }

            links.Add(link);
            created.Add(link);
        }

        // The link.created events are committed with the links, or not at all (ADR 0016).
        await webhooks.AddAsync([.. created.Select(l => LinkEvents.For(WebhookEventTypes.LinkCreated, l))], cancellationToken);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return created;
    }

    private async Task<TrackingId> NewTrackingIdAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxIdAttempts; attempt++)
        {
            var candidate = TrackingId.NewId();
            if (!await links.TrackingIdExistsAsync(candidate.Value, cancellationToken))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"No unused tracking id after {MaxIdAttempts} attempts; is the random source broken?");
    }

    /// <summary>
    /// A code not yet used on <paramref name="domain"/>. 36 bits collide more often than tracking ids (about one in
    /// 80 million per existing link), so this retries more; the unique index (domain, short_code) guards a race.
    /// </summary>
    private async Task<string> NewShortCodeAsync(string domain, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxShortCodeAttempts; attempt++)
        {
            var candidate = ShortCode.New();
            if (!await links.ShortCodeExistsAsync(domain, candidate, cancellationToken))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"No unused short code on {domain} after {MaxShortCodeAttempts} attempts.");
    }
}
