using FluentValidation;
using LinkTracking.Application.Analytics.Common;
using LinkTracking.Application.Common.Validation;

namespace LinkTracking.Application.Analytics.Queries.GetLinkAnalytics;

public sealed class GetLinkAnalyticsQueryValidator : AbstractValidator<GetLinkAnalyticsQuery>
{
    public GetLinkAnalyticsQueryValidator()
    {
        RuleFor(q => q.TrackingId).MustBeTrackingId();
        RuleFor(q => q.Days).InclusiveBetween(AnalyticsPeriod.MinDays, AnalyticsPeriod.MaxDays);
        RuleFor(q => q.Tz).MustBeTimeZone();
    }
}
