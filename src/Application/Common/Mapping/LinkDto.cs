namespace LinkTracking.Application.Common.Mapping;

/// <summary>A tracked link on the wire.</summary>
public sealed record LinkDto
{
    public required string TrackingId { get; init; }

    public string RedirectUrl { get; init; } = string.Empty;

    public required string OriginalUrl { get; init; }

    public required string LinkFunction { get; init; }

    public required string LinkType { get; init; }

    public Guid? JobId { get; init; }

    public Guid? ApplicationId { get; init; }

    public string? Description { get; init; }

    public required string CreatedBy { get; init; }

    public DateTime CreatedAt { get; init; }

    public bool IsActive { get; init; }

    /// <summary>When the email carrying the link went out, if the orchestrator said.</summary>
    public DateTime? SentAt { get; init; }

    /// <summary>After this instant the link answers 410 Gone, or redirects to <see cref="FallbackUrl"/>.</summary>
    public DateTime? ExpiresAt { get; init; }

    /// <summary>Once this many human clicks were counted, the link answers like an expired one; scanners never count.</summary>
    public int? MaxHumanClicks { get; init; }

    /// <summary>The branded host the link is served on, or null for the default domain.</summary>
    public string? Domain { get; init; }

    /// <summary>The link's 7-character code on its <c>domain</c>; null without a domain.</summary>
    public string? ShortCode { get; init; }

    /// <summary>Where an expired or exhausted link redirects instead of answering 410 Gone.</summary>
    public string? FallbackUrl { get; init; }

    /// <summary>The A/B destinations between which visitors are split (each keeps its variant); null for a plain link.</summary>
    public IReadOnlyList<LinkVariantDto>? Variants { get; init; }
}

/// <summary>One A/B destination of a link: <c>key</c>, <c>url</c>, <c>weight</c> (share = weight ÷ sum of weights).</summary>
public sealed record LinkVariantDto(string Key, string Url, int Weight);
