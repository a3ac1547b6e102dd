using LinkTracking.Application.Common.Mapping;
using LinkTracking.Application.Links.Common;
using Mediator;

namespace LinkTracking.Application.Links.Commands.CreateTrackedLink;

public sealed class CreateTrackedLinkCommandHandler(TrackedLinkFactory factory, LinkDtoMapper mapper)
    : ICommandHandler<CreateTrackedLinkCommand, LinkDto>
{
    public async ValueTask<LinkDto> Handle(CreateTrackedLinkCommand command, CancellationToken cancellationToken)
    {
        var link = await factory.CreateAndSaveAsync(
            new NewLink(command.OriginalUrl!, command.LinkFunction!, command.LinkType, command.JobId, command.ApplicationId, command.Description, command.CreatedBy)
            {
                SentAt = command.SentAt?.UtcDateTime,
                Limits = new LinkLimitsRequest(command.ExpiresAt?.UtcDateTime, command.MaxHumanClicks, command.FallbackUrl),
                Variants = command.Variants,
                Domain = command.Domain,
            },
            cancellationToken);
        return mapper.ToDto(link);
    }
}
