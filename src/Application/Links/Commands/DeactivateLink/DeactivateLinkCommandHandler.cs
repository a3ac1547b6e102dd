using LinkTracking.Application.Common.Mapping;
using LinkTracking.Application.Links.Common;
using Mediator;

namespace LinkTracking.Application.Links.Commands.DeactivateLink;

public sealed class DeactivateLinkCommandHandler(LinkActivation activation) : ICommandHandler<DeactivateLinkCommand, LinkDto>
{
    public async ValueTask<LinkDto> Handle(DeactivateLinkCommand command, CancellationToken cancellationToken) =>
        await activation.SetActiveAsync(command.TrackingId, active: false, cancellationToken);
}
