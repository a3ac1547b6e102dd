using FluentValidation;
using LinkTracking.Application.Clicks.Commands.RecordClick;
using LinkTracking.Application.Clicks.Common;
using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Validation;
using LinkTracking.Domain.Clicks;
using Mediator;

namespace LinkTracking.Application.Clicks.Commands.RecordClicks;

/// <summary>Validates and resolves each click on its own, then stores every valid one in one durable batch.</summary>
public sealed class RecordClicksCommandHandler(
    IValidator<RecordClickCommand> itemValidator,
    PartnerClicks partnerClicks,
    IClickRecorder recorder) : ICommandHandler<RecordClicksCommand, RecordClicksResult>
{
    public async ValueTask<RecordClicksResult> Handle(RecordClicksCommand command, CancellationToken cancellationToken)
    {
        var items = command.Clicks!;
        if (!recorder.TryAdmit(items.Count))
        {
            throw ServiceUnavailableException.ClickBacklog();
        }

        var results = new RecordClickItemResult[items.Count];
        var accepted = new List<LinkClick>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            results[i] = command.MalformedItems?.TryGetValue(i, out var errors) == true
                ? new RecordClickItemResult(i, 400) { Errors = errors }
                : await PrepareAsync(i, items[i], accepted, cancellationToken);
        }

        if (accepted.Count > 0)
        {
            await recorder.RecordManyAsync(accepted, cancellationToken);
        }

        return new RecordClicksResult(results, accepted.Count, items.Count - accepted.Count);
    }

    private async ValueTask<RecordClickItemResult> PrepareAsync(int index, RecordClickCommand? item, List<LinkClick> accepted, CancellationToken cancellationToken)
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
        accepted.Add(click);
        return new RecordClickItemResult(index, 201)
        {
            ClickId = click.Id,
            TrackingId = click.TrackingId.Value,
            ClickedAt = click.ClickedAt,
            ClickSource = click.ClickSource,
        };
    }
}
