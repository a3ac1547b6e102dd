using LinkTracking.WebApi.Dashboard;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LinkTracking.WebApi.Pages.Dashboard;

/// <summary>Ends the session (a POST with the antiforgery token; the GET only shows the button).</summary>
public sealed class SignOutModel : PageModel
{
    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(DashboardAuthentication.SchemeName);
        return Redirect(DashboardAuthentication.BasePath + "/sign-in");
    }
}
