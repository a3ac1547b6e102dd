using FluentValidation;
using LinkTracking.Domain.Outcomes;

namespace LinkTracking.Application.Outcomes.Commands.RecordOutcome;

public sealed class RecordOutcomeCommandValidator : AbstractValidator<RecordOutcomeCommand>
{
    public RecordOutcomeCommandValidator(TimeProvider timeProvider)
    {
        RuleFor(c => c.ApplicationId).NotEmpty();
        RuleFor(c => c.Stage).Must(OutcomeStage.IsKnown)
            .WithMessage($"stage is one of: {string.Join(", ", OutcomeStage.All)}.");
        RuleFor(c => c.OccurredAt)
            .Must(t => t is null || t.Value <= timeProvider.GetUtcNow() + ApplicationOutcome.MaxOccurredAtSkew)
            .WithMessage("occurred_at must not be more than 5 minutes in the future.")
            .Must(t => t is null || t.Value >= DateTimeOffset.UnixEpoch)
            .WithMessage("occurred_at must not be before 1970-01-01T00:00:00Z.");
        RuleFor(c => c.EventId).Must(e => e is null || e.Length is > 0 and <= ApplicationOutcome.MaxEventIdLength)
            .WithMessage($"event_id is 1 to {ApplicationOutcome.MaxEventIdLength} characters.");
        RuleFor(c => c.Note).MaximumLength(ApplicationOutcome.MaxNoteLength)
            .WithMessage($"note is at most {ApplicationOutcome.MaxNoteLength} characters.");
    }
}
