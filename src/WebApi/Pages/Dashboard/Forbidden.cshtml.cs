using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LinkTracking.WebApi.Pages.Dashboard;

/// <summary>Where a signed-in key without the scope of a page lands.</summary>
public sealed class ForbiddenModel : PageModel
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
