using FluentValidation;
using LinkTracking.Application.Common.Validation;

namespace LinkTracking.Application.Links.Commands.DeactivateLink;

public sealed class DeactivateLinkCommandValidator : AbstractValidator<DeactivateLinkCommand>
{
    public DeactivateLinkCommandValidator() => RuleFor(c => c.TrackingId).MustBeTrackingId();
}
