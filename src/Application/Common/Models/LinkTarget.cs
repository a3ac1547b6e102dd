using System.ComponentModel;

namespace LinkTracking.Application.Common.Models;

/// <summary>
/// What the redirect needs to know of a link; small and immutable so it can be cached. <see cref="SentAt"/> is when
/// the email carrying it went out (for the classifier's timing rule); <see cref="IsDecoy"/>: an application's hidden
/// decoy, whose every click is a scanner's. <see cref="ExpiresAt"/>, <see cref="MaxHumanClicks"/> and
/// <see cref="FallbackUrl"/> are its lifecycle (see ADR 0014).
/// </summary>
[ImmutableObject(true)]
public sealed record LinkTarget(string TrackingId, string OriginalUrl, bool IsActive, DateTime? SentAt = null, bool IsDecoy = false)
{
    public DateTime? ExpiresAt { get; init; }

    public int? MaxHumanClicks { get; init; }

    public string? FallbackUrl { get; init; }

    /// <summary>The A/B destinations (2 to 5), or null for a plain link; see <see cref="Domain.Links.VariantAssignment"/>.</summary>
    public IReadOnlyList<VariantTarget>? Variants { get; init; }

    /// <summary>The branded host the link is served on (lower case); null: the default domain.</summary>
    public string? Domain { get; init; }
}

/// <summary>One A/B destination of a cached link.</summary>
[ImmutableObject(true)]
public sealed record VariantTarget(string Key, string Url, int Weight);
