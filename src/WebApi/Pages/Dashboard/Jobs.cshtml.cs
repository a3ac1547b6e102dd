using LinkTracking.Application.Analytics.Queries.ListJobActivity;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LinkTracking.WebApi.Pages.Dashboard;

/// <summary>The jobs that have links: the first level of the drill-down.</summary>
public sealed class JobsModel(ISender sender) : PageModel
{
    public IReadOnlyList<JobActivityDto> Jobs { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Jobs = await sender.Send(new ListJobActivityQuery(), cancellationToken);
}
