using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Outcomes.Common;
using LinkTracking.Domain.Outcomes;
using LinkTracking.Domain.Webhooks;
using Mediator;

namespace LinkTracking.Application.Outcomes.Commands.RecordOutcome;

/// <summary>The <c>data</c> of the <c>application.outcome</c> webhook event.</summary>
public sealed record OutcomeEventData(Guid OutcomeId, Guid ApplicationId, Guid? JobId, string Stage, DateTime OccurredAt, string? EventId, string? Note);

public sealed class RecordOutcomeCommandHandler(
    IApplicationOutcomeRepository outcomes,
    ITrackedLinkRepository links,
    IWebhookOutbox webhooks,
    IUnitOfWork unitOfWork,
    TimeProvider timeProvider) : ICommandHandler<RecordOutcomeCommand, RecordedOutcome>
{
    public async ValueTask<RecordedOutcome> Handle(RecordOutcomeCommand command, CancellationToken cancellationToken)
    {
        if (command.EventId is not null
            && await outcomes.FindByEventIdAsync(command.ApplicationId, command.EventId, cancellationToken) is { } earlier)
        {
            return new RecordedOutcome(OutcomeDto.From(earlier), Created: false);
        }

        var now = timeProvider.GetUtcNow().UtcDateTime;
        var occurredAt = command.OccurredAt?.UtcDateTime ?? now;
        var outcome = ApplicationOutcome.Record(command.ApplicationId, command.Stage!, occurredAt, command.EventId, command.Note, now);
        var jobId = (await links.ListByApplicationAsync(command.ApplicationId, cancellationToken))
            .Select(l => l.JobId).FirstOrDefault(j => j is not null);

        outcomes.Add(outcome);
        await webhooks.AddAsync(
            [new WebhookEventDraft(WebhookEventTypes.ApplicationOutcome, jobId, outcome.ApplicationId, new OutcomeEventData(
                outcome.Id, outcome.ApplicationId, jobId, outcome.Stage, outcome.OccurredAt, outcome.EventId, outcome.Note))],
            cancellationToken);
        try
        {
            await unitOfWork.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (command.EventId is not null && outcomes.IsDuplicateEventId(ex))
        {
            // Two retries raced: the other one recorded it (and its event) first.
            var first = await outcomes.FindByEventIdAsync(command.ApplicationId, command.EventId, cancellationToken)
                ?? throw new InvalidOperationException("The event_id was taken but its outcome is not readable.", ex);
            return new RecordedOutcome(OutcomeDto.From(first), Created: false);
        }

        return new RecordedOutcome(OutcomeDto.From(outcome), Created: true);
    }
}
