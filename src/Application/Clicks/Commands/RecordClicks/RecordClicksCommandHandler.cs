using FluentValidation;
using LinkTracking.Application.Clicks.Commands.RecordClick;
using LinkTracking.Application.Clicks.Common;
using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Validation;
using LinkTracking.Domain.Clicks;
using Mediator;

namespace LinkTracking.Application.Clicks.Commands.RecordClicks;

/// <summary>
/// Validates and resolves each click on its own, then stores every valid one in one durable batch. A click with an
/// <c>event_id</c> already recorded for its link (earlier, or earlier in the same batch) is answered with the click as
/// first stored (<see cref="PartnerEvents"/>) and not recorded again.
/// </summary>
public sealed class RecordClicksCommandHandler(
    IValidator<RecordClickCommand> itemValidator,
    PartnerClicks partnerClicks,
    IClickRecorder recorder,
    PartnerEvents events,
    IStoredClickEvents stored) : ICommandHandler<RecordClicksCommand, RecordClicksResult>
{
    public async ValueTask<RecordClicksResult> Handle(RecordClicksCommand command, CancellationToken cancellationToken)
    {
        var items = command.Clicks!;
        if (!recorder.TryAdmit(items.Count))
        {
            throw ServiceUnavailableException.ClickBacklog();
        }

        var results = new RecordClickItemResult[items.Count];
        var accepted = new List<(int Index, LinkClick Click)>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            results[i] = command.MalformedItems?.TryGetValue(i, out var errors) == true
                ? new RecordClickItemResult(i, 400) { Errors = errors }
                : await PrepareAsync(i, items[i], accepted, cancellationToken);
        }

        if (accepted.Count > 0)
        {
            await RecordAsync(accepted, results, cancellationToken);
        }

        return new RecordClicksResult(results, accepted.Count, items.Count - accepted.Count);
    }

    /// <summary>Records the new clicks in one batch; answers the already recorded events with their first click.</summary>
    private async Task RecordAsync(List<(int Index, LinkClick Click)> accepted, RecordClickItemResult[] results, CancellationToken cancellationToken)
    {
        var withEvents = accepted.Where(a => a.Click.EventId is not null).Select(a => a.Click).ToList();
        var sort = withEvents.Count == 0 ? null : await events.SortAsync(withEvents, stored, cancellationToken);
        var toRecord = sort is null ? accepted.Select(a => a.Click).ToList() : [.. accepted.Select(a => a.Click).Where(c => c.EventId is null), .. sort.ToRecord];
        if (toRecord.Count > 0)
        {
            try
            {
                await recorder.RecordManyAsync(toRecord, cancellationToken);
            }
            catch (Exception e)
            {
                if (sort is not null)
                {
                    events.Settle(sort, e);
                }

                throw;
            }
        }

        if (sort is null)
        {
            return;
        }

        events.Settle(sort, null);
        foreach (var (index, click) in accepted)
        {
            if (sort.Known.TryGetValue(click, out var first))
            {
                await first.Durable.Task.WaitAsync(cancellationToken);
                results[index] = results[index] with
                {
                    ClickId = first.Receipt.ClickId,
                    TrackingId = first.Receipt.TrackingId,
                    ClickedAt = first.Receipt.ClickedAt,
                    ClickSource = first.Receipt.ClickSource,
                };
            }
        }
    }

    private async ValueTask<RecordClickItemResult> PrepareAsync(int index, RecordClickCommand? item, List<(int Index, LinkClick Click)> accepted, CancellationToken cancellationToken)
    {
        if (item is null)
        {
            return new RecordClickItemResult(index, 400) { Errors = new Dictionary<string, string[]> { [""] = ["The click must be a JSON object."] } };
        }

        var validation = await itemValidator.ValidateAsync(item, cancellationToken);
        if (!validation.IsValid)
        {
            return new RecordClickItemResult(index, 400) { TrackingId = item.TrackingId, Errors = ValidationErrors.ToDictionary(validation.Errors) };
        }

        var prepared = await partnerClicks.PrepareAsync(item, cancellationToken);
        switch (prepared.Outcome)
        {
            case PartnerClickOutcome.UnknownLink:
                return new RecordClickItemResult(index, 404) { TrackingId = item.TrackingId, Detail = "Unknown tracking_id." };
            case PartnerClickOutcome.InactiveLink:
                return new RecordClickItemResult(index, 409) { TrackingId = item.TrackingId, Detail = "The link is inactive." };
        }

        var click = prepared.Click!;
        accepted.Add((index, click));
        return new RecordClickItemResult(index, 201)
        {
            ClickId = click.Id,
            TrackingId = click.TrackingId.Value,
            ClickedAt = click.ClickedAt,
            ClickSource = click.ClickSource,
        };
    }
}
