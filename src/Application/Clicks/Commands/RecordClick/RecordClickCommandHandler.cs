using LinkTracking.Application.Clicks.Common;
using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Application.Common.Interfaces;
using Mediator;

namespace LinkTracking.Application.Clicks.Commands.RecordClick;

/// <summary>
/// Records one partner click. A click with an <c>event_id</c> already recorded for its link is answered with the click as
/// first stored (<see cref="PartnerEvents"/>) and not recorded again.
/// </summary>
public sealed class RecordClickCommandHandler(PartnerClicks partnerClicks, IClickRecorder recorder, PartnerEvents events, IStoredClickEvents stored)
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
        if (click.EventId is null)
        {
            await recorder.RecordAsync(click, cancellationToken);
            return new ClickReceiptDto(click.Id, click.TrackingId.Value, click.ClickedAt, click.ClickSource);
        }

        var sort = await events.SortAsync([click], stored, cancellationToken);
        if (sort.ToRecord.Count == 1)
        {
            try
            {
                await recorder.RecordAsync(click, cancellationToken);
            }
            catch (Exception e)
            {
                events.Settle(sort, e);
                throw;
            }

            events.Settle(sort, null);
            return new ClickReceiptDto(click.Id, click.TrackingId.Value, click.ClickedAt, click.ClickSource);
        }

        var first = sort.Known[click];
        await first.Durable.Task.WaitAsync(cancellationToken);
        return new ClickReceiptDto(first.Receipt.ClickId, first.Receipt.TrackingId, first.Receipt.ClickedAt, first.Receipt.ClickSource);
    }
}
