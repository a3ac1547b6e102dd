using LinkTracking.Application.Common.Mapping;
using LinkTracking.Application.Links.Common;
using Mediator;

namespace LinkTracking.Application.Links.Commands.CreateTrackedLink;

/// <summary>
/// Creates one tracked link. Body of <c>POST /api/v1/link-tracking/create</c>. <see cref="SentAt"/> is when the email
/// carrying it went out (a fetch within seconds of it from a non-residential network is a scanner's).
/// <see cref="ExpiresAt"/>, <see cref="MaxHumanClicks"/> and <see cref="FallbackUrl"/> set its lifecycle;
/// <see cref="Variants"/> (2 to 5) split its visitors between A/B destinations.
/// <c>domain</c>: one of <c>LinkTracking:Domains</c>, to serve the link there under a short code.
/// </summary>
public sealed record CreateTrackedLinkCommand(
    string? OriginalUrl,
    string? LinkFunction,
    string? LinkType = null,
    Guid? JobId = null,
    Guid? ApplicationId = null,
    string? Description = null,
    string? CreatedBy = null,
    DateTimeOffset? SentAt = null,
    DateTimeOffset? ExpiresAt = null,
    int? MaxHumanClicks = null,
    string? FallbackUrl = null,
    IReadOnlyList<VariantRequest>? Variants = null) : ICommand<LinkDto>
{
    /// <summary>A configured branded host (<c>LinkTracking:Domains</c>); null: the default domain.</summary>
    public string? Domain { get; init; }
}
