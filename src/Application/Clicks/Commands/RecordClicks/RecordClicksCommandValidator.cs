using FluentValidation;

namespace LinkTracking.Application.Clicks.Commands.RecordClicks;

/// <summary>Checks the batch as a whole; each click is validated on its own by the handler so that valid ones are kept.</summary>
public sealed class RecordClicksCommandValidator : AbstractValidator<RecordClicksCommand>
{
    public RecordClicksCommandValidator()
    {
        RuleFor(c => c.Clicks).NotNull().WithMessage("clicks is required.");
        RuleFor(c => c.Clicks!.Count)
            .InclusiveBetween(1, RecordClicksCommand.MaxClicks)
            .OverridePropertyName("clicks")
            .WithMessage($"clicks must hold 1 to {RecordClicksCommand.MaxClicks} items.")
            .When(c => c.Clicks is not null);
    }
}
