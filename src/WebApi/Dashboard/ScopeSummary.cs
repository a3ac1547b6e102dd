using LinkTracking.Application.Analytics.Common;
using LinkTracking.Application.Analytics.Queries.GetApplicationLinkSummary;
using LinkTracking.Application.Analytics.Queries.GetJobLinkSummary;

namespace LinkTracking.WebApi.Dashboard;

/// <summary>
/// What the job and the application pages show of their summary (<c>_Summary</c>); <see cref="Result"/> is the query's
/// own result, whose breakdowns are rendered as they are found (<see cref="Breakdowns"/>).
/// </summary>
public sealed record ScopeSummary(int TotalLinks, int TotalClicks, int UniqueSessions, IReadOnlyDictionary<string, FunctionSummaryDto> LinkFunctions, object Result)
{
    public static ScopeSummary Of(JobLinkSummaryDto job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new(job.TotalLinks, job.TotalClicks, job.UniqueSessions, job.LinkFunctions, job);
    }

    public static ScopeSummary Of(ApplicationLinkSummaryDto application)
    {
        ArgumentNullException.ThrowIfNull(application);
        return new(application.TotalLinks, application.TotalClicks, application.UniqueSessions, application.LinkFunctions, application);
    }
}
