using FluentValidation;
using LinkTracking.Application.Common.Validation;

namespace LinkTracking.Application.Links.Queries.GetLink;

public sealed class GetLinkQueryValidator : AbstractValidator<GetLinkQuery>
{
    public GetLinkQueryValidator() => RuleFor(q => q.TrackingId).MustBeTrackingId();
}
