using FluentValidation;
using LinkTracking.Application.Analytics.Common;

namespace LinkTracking.Application.Analytics.Queries.GetDailyTraffic;

public sealed class GetDailyTrafficQueryValidator : AbstractValidator<GetDailyTrafficQuery>
{
    public GetDailyTrafficQueryValidator() => RuleFor(q => q.Days).InclusiveBetween(AnalyticsPeriod.MinDays, AnalyticsPeriod.MaxDays);
}
