using LinkTracking.Application.Analytics.Queries.GetApplicationLinkSummary;
using LinkTracking.Application.Common.Mapping;
using LinkTracking.Application.Common.Models;
using LinkTracking.Application.Links.Queries.ListLinks;
using LinkTracking.WebApi.Dashboard;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LinkTracking.WebApi.Pages.Dashboard;

/// <summary>One application: the API's application summary and its links.</summary>
public sealed class ApplicationModel(ISender sender) : PageModel
{
    public Guid ApplicationId { get; private set; }

    public ScopeSummary Summary { get; private set; } = null!;

    public PagedResult<LinkDto> Links { get; private set; } = null!;

    public async Task OnGetAsync(Guid applicationId, CancellationToken cancellationToken)
    {
        ApplicationId = applicationId;
        Summary = ScopeSummary.Of(await sender.Send(new GetApplicationLinkSummaryQuery(applicationId), cancellationToken));
        Links = await sender.Send(new ListLinksQuery(ApplicationId: applicationId, PageSize: ListLinksQuery.MaxPageSize), cancellationToken);
    }
}
