using LinkTracking.Application.Analytics.Queries.GetJobLinkSummary;
using LinkTracking.Application.Analytics.Queries.ListApplicationActivity;
using LinkTracking.WebApi.Dashboard;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LinkTracking.WebApi.Pages.Dashboard;

/// <summary>One job: the API's job summary (with its funnel) and its applications.</summary>
public sealed class JobModel(ISender sender) : PageModel
{
    public Guid JobId { get; private set; }

    public ScopeSummary Summary { get; private set; } = null!;

    /// <summary>The summary itself: its funnel and engagement rates (<c>_Funnel</c>).</summary>
    public JobLinkSummaryDto Job { get; private set; } = null!;

    public IReadOnlyList<ApplicationActivityDto> Applications { get; private set; } = [];

    public async Task OnGetAsync(Guid jobId, CancellationToken cancellationToken)
    {
        JobId = jobId;
        Job = await sender.Send(new GetJobLinkSummaryQuery(jobId), cancellationToken);
        Summary = ScopeSummary.Of(Job);
        Applications = await sender.Send(new ListApplicationActivityQuery(JobId: jobId), cancellationToken);
    }
}
