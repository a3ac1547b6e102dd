using FluentValidation;
using LinkTracking.Application.Analytics.Common;

namespace LinkTracking.Application.Analytics.Queries.GetLinkPerformanceReport;

public sealed class GetLinkPerformanceReportQueryValidator : AbstractValidator<GetLinkPerformanceReportQuery>
{
    public GetLinkPerformanceReportQueryValidator() =>
        RuleFor(q => q.Days).InclusiveBetween(AnalyticsPeriod.MinDays, AnalyticsPeriod.MaxDays);
}
