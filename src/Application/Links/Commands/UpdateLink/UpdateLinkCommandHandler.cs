using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Mapping;
using LinkTracking.Application.Links.Common;
using LinkTracking.Domain.Links;
using Mediator;

namespace LinkTracking.Application.Links.Commands.UpdateLink;

/// <summary>
/// Applies a patch, records each real change in the link's history in the same save, then drops the link from every
/// instance's cache so the next redirect sees the new settings.
/// </summary>
public sealed class UpdateLinkCommandHandler(
    ITrackedLinkRepository links,
    ILinkChangeLog history,
    IUnitOfWork unitOfWork,
    ILinkCache cache,
    LinkDtoMapper mapper,
    TimeProvider timeProvider) : ICommandHandler<UpdateLinkCommand, LinkDto>
{
    public async ValueTask<LinkDto> Handle(UpdateLinkCommand command, CancellationToken cancellationToken)
    {
        var link = await links.GetByTrackingIdAsync(command.TrackingId, cancellationToken)
            ?? throw NotFoundException.For("Link", command.TrackingId);
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var patch = command.Patch;
        var key = command.ApiKeyId;
        LinkChange?[] changes =
        [
            patch.OriginalUrl.IsSet ? link.ChangeOriginalUrl(TargetUrl.Create(patch.OriginalUrl.Value), now, key) : null,
            patch.Description.IsSet ? link.ChangeDescription(patch.Description.Value, now, key) : null,
            patch.ExpiresAt.IsSet ? link.ChangeExpiresAt(patch.ExpiresAt.Value?.UtcDateTime, now, key) : null,
            patch.MaxHumanClicks.IsSet ? link.ChangeMaxHumanClicks(patch.MaxHumanClicks.Value, now, key) : null,
            patch.FallbackUrl.IsSet ? link.ChangeFallbackUrl(patch.FallbackUrl.Value is { } url ? TargetUrl.Create(url) : null, now, key) : null,
            patch.Variants.IsSet ? link.ChangeVariants(patch.Variants.Value is { } variants ? VariantRequest.ToVariants(variants) : null, now, key) : null,
        ];
        var recorded = changes.OfType<LinkChange>().ToList();
        if (recorded.Count > 0)
        {
            history.AddRange(recorded);
            await unitOfWork.SaveChangesAsync(cancellationToken);
        }

        await cache.InvalidateAsync(link.TrackingId.Value, cancellationToken);
        return mapper.ToDto(link);
    }
}
