using FluentValidation;
using LinkTracking.Application.Analytics.Common;
using LinkTracking.Application.Common.Validation;

namespace LinkTracking.Application.Analytics.Queries.GetLinkPerformanceReport;

public sealed class GetLinkPerformanceReportQueryValidator : AbstractValidator<GetLinkPerformanceReportQuery>
{
    public GetLinkPerformanceReportQueryValidator()
    {
        RuleFor(q => q.Days).InclusiveBetween(AnalyticsPeriod.MinDays, AnalyticsPeriod.MaxDays);
        RuleFor(q => q.Tz).MustBeTimeZone();
    }
}
