using FluentValidation;
using LinkTracking.Application.Common.Validation;

namespace LinkTracking.Application.Links.Queries.GetLinkHistory;

public sealed class GetLinkHistoryQueryValidator : AbstractValidator<GetLinkHistoryQuery>
{
    public GetLinkHistoryQueryValidator() => RuleFor(q => q.TrackingId).MustBeTrackingId();
}
