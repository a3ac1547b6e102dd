using System.Security.Claims;
using LinkTracking.Domain.ApiKeys;
using LinkTracking.Infrastructure.Security;
using LinkTracking.WebApi.Infrastructure;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace LinkTracking.WebApi.Dashboard;

/// <summary>
/// The dashboard's session: an API key (scope <c>analytics:read</c>) is exchanged once, on the sign-in form, for a
/// session kept on the server (<see cref="DashboardTicketStore"/>); the cookie carries only the session's random
/// secret, never the key. The cookie is HttpOnly, SameSite=Strict, Secure when the request is https, and scoped to
/// <c>/dashboard</c>; the API routes never accept it. Every request re-reads the session and the key by id, so
/// sign-out, a revoked key, the idle window and <c>Dashboard:SessionLifetime</c> end it on the next page.
/// </summary>
public static class DashboardAuthentication
{
    public const string SchemeName = "DashboardCookie";
    public const string CookieName = "lt_dashboard";
    public const string ReadPolicy = "dashboard:read";
    public const string WritePolicy = "dashboard:write";
    public const string BasePath = "/dashboard";
    /// <summary>A session unused this long ends (sliding: renewed once half of it has passed).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromHours(8);

    public static IServiceCollection AddDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DashboardOptions>().Bind(configuration.GetSection(DashboardOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DashboardOptions>, DashboardOptionsValidator>();
        services.AddSingleton<DashboardTicketStore>();
        services.AddOptions<CookieAuthenticationOptions>(SchemeName).Configure<DashboardTicketStore>((o, store) => o.SessionStore = store);
        services.AddAuthentication()
            .AddCookie(SchemeName, o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.Path = BasePath;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = IdleTimeout;
                o.SlidingExpiration = true;
                o.LoginPath = BasePath + "/sign-in";
                o.LogoutPath = BasePath + "/sign-out";
                o.AccessDeniedPath = BasePath + "/forbidden";
                o.ReturnUrlParameter = "return_url";
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(ReadPolicy, p => p.AddAuthenticationSchemes(SchemeName).AddRequirements(new ScopeRequirement(Scope.AnalyticsRead)))
            .AddPolicy(WritePolicy, p => p.AddAuthenticationSchemes(SchemeName)
                .AddRequirements(new ScopeRequirement(Scope.AnalyticsRead), new ScopeRequirement(Scope.LinksWrite)));

        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder(BasePath, ReadPolicy);
            o.Conventions.AllowAnonymousToPage(BasePath + "/SignIn");
            o.Conventions.AllowAnonymousToPage(BasePath + "/Forbidden");
            o.Conventions.ConfigureFilter(new DashboardNotFoundFilter());
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "lt_dashboard_csrf";
            o.Cookie.Path = BasePath;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = "csrf_token";
        });
        return services;
    }

    /// <summary>The principal of a signed-in key: its id and its scopes, as the API's key handler names them.</summary>
    public static ClaimsPrincipal PrincipalFor(AuthenticatedApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, key.Id.ToString()),
            new(ClaimTypes.Name, key.Name),
            new(ApiKeyAuthenticationHandler.KeyIdClaim, key.Id.ToString()),
        };
        claims.AddRange(key.Scopes.Select(s => new Claim(ApiKeyAuthenticationHandler.ScopeClaim, s)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
    }

    /// <summary>Whether the signed-in key may use the forms (<c>links:write</c>, or <c>admin</c>).</summary>
    public static bool CanWrite(this ClaimsPrincipal user) =>
        Scope.Grants(user.FindAll(ApiKeyAuthenticationHandler.ScopeClaim).Select(c => c.Value), Scope.LinksWrite);
}
