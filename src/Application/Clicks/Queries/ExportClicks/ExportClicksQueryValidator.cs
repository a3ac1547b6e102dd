using FluentValidation;
using LinkTracking.Application.Common.Validation;

namespace LinkTracking.Application.Clicks.Queries.ExportClicks;

public sealed class ExportClicksQueryValidator : AbstractValidator<ExportClicksQuery>
{
    public ExportClicksQueryValidator()
    {
        RuleFor(q => q.Format).Must(f => ExportFormats.Normalise(f) is not null)
            .WithMessage($"format is one of: {string.Join(", ", ExportFormats.All)}.");
        RuleFor(q => q.TrackingId).MustBeTrackingId().When(q => q.TrackingId is not null);
        RuleFor(q => q.From).Must((q, from) => from is null || q.To is null || from <= q.To)
            .WithMessage("from must not be later than to.");
        RuleFor(q => q.To).Must((q, to) => to is null || q.From is null || q.From <= to)
            .WithMessage("to must not be earlier than from.");
    }
}
