using FluentValidation;
using LinkTracking.Application.Common.Validation;

namespace LinkTracking.Application.Links.Commands.ActivateLink;

public sealed class ActivateLinkCommandValidator : AbstractValidator<ActivateLinkCommand>
{
    public ActivateLinkCommandValidator() => RuleFor(c => c.TrackingId).MustBeTrackingId();
}
