using LinkTracking.Application.Clicks.Common;
using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Application.Common.Interfaces;
using Mediator;

namespace LinkTracking.Application.Clicks.Commands.RecordClick;

public sealed class RecordClickCommandHandler(PartnerClicks partnerClicks, IClickRecorder recorder)
    : ICommandHandler<RecordClickCommand, ClickReceiptDto>
{
    public async ValueTask<ClickReceiptDto> Handle(RecordClickCommand command, CancellationToken cancellationToken)
    {
        if (!recorder.TryAdmit(1))
        {
            throw ServiceUnavailableException.ClickBacklog();
        }

        var prepared = await partnerClicks.PrepareAsync(command, cancellationToken);
        switch (prepared.Outcome)
        {
            case PartnerClickOutcome.UnknownLink:
                throw NotFoundException.For("Link", command.TrackingId!);
            case PartnerClickOutcome.InactiveLink:
                throw new ConflictException($"Link '{command.TrackingId}' is inactive; its clicks are not recorded.");
        }

        var click = prepared.Click!;
        await recorder.RecordAsync(click, cancellationToken);
        return new ClickReceiptDto(click.Id, click.TrackingId.Value, click.ClickedAt, click.ClickSource);
    }
}
