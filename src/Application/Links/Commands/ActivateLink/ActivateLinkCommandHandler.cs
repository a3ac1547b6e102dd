using LinkTracking.Application.Common.Mapping;
using LinkTracking.Application.Links.Common;
using Mediator;

namespace LinkTracking.Application.Links.Commands.ActivateLink;

public sealed class ActivateLinkCommandHandler(LinkActivation activation) : ICommandHandler<ActivateLinkCommand, LinkDto>
{
    public async ValueTask<LinkDto> Handle(ActivateLinkCommand command, CancellationToken cancellationToken) =>
        await activation.SetActiveAsync(command.TrackingId, active: true, cancellationToken);
}
