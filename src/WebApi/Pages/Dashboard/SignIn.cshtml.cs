using LinkTracking.Domain.ApiKeys;
using LinkTracking.Infrastructure.Security;
using LinkTracking.WebApi.Dashboard;
using LinkTracking.WebApi.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace LinkTracking.WebApi.Pages.Dashboard;

/// <summary>
/// Exchanges an API key for the dashboard's session cookie. The key is read from the form and never echoed. Attempts
/// are rate-limited per client IP (<c>RateLimits:SignInsPerMinutePerIp</c>; showing the form is not counted).
/// </summary>
[EnableRateLimiting(RateLimitPolicies.SignInsPerIp)]
public sealed class SignInModel(ApiKeyAuthenticator authenticator) : PageModel
{
    public const string WrongKey = "That key is unknown, revoked, or lacks the analytics:read scope.";

    public string? Error { get; private set; }

    public string? ReturnUrl { get; private set; }

    public void OnGet([FromQuery(Name = "return_url")] string? returnUrl) => ReturnUrl = SafeReturnUrl(returnUrl);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var form = await Request.ReadFormAsync(cancellationToken);
        ReturnUrl = SafeReturnUrl(form.Field("return_url"));
        var key = await authenticator.AuthenticateAsync(form.Field("api_key"), cancellationToken);
        if (key is null || !Scope.Grants(key.Scopes, Scope.AnalyticsRead))
        {
            Error = WrongKey;
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        await HttpContext.SignInAsync(DashboardAuthentication.SchemeName, DashboardAuthentication.PrincipalFor(key));
        return LocalRedirect(ReturnUrl ?? DashboardAuthentication.BasePath);
    }

    /// <summary>Only a path of the dashboard itself: the sign-in page is no open redirect.</summary>
    private static string? SafeReturnUrl(string? url) =>
        url is { Length: <= 2048 } &&
        (url == DashboardAuthentication.BasePath || url.StartsWith(DashboardAuthentication.BasePath + "/", StringComparison.Ordinal)) &&
        !url.Contains("//", StringComparison.Ordinal) && !url.Contains('\\', StringComparison.Ordinal)
            ? url
            : null;
}
