using System.Security.Claims;
using System.Text.Encodings.Web;
using LinkTracking.Domain.ApiKeys;
using LinkTracking.Infrastructure.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>Authenticates the <c>X-API-Key</c> header. Missing or unknown → 401; a key without the scope → 403.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyAuthenticator authenticator,
    IProblemDetailsService problemDetails) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-API-Key";
    public const string ScopeClaim = "scope";
    public const string KeyIdClaim = "key_id";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return AuthenticateResult.NoResult();
        }

        var key = await authenticator.AuthenticateAsync(values[0], Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }

        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, key.Id.ToString()), new(ClaimTypes.Name, key.Name), new(KeyIdClaim, key.Id.ToString()) };
        claims.AddRange(key.Scopes.Select(s => new Claim(ScopeClaim, s)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized", $"A valid {HeaderName} header is required.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", "The API key does not have the scope this route needs.");

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}

/// <summary>Route policies: each names the scopes any one of which lets a key through (<c>admin</c> always does).</summary>
public static class ScopePolicies
{
    public const string LinksWrite = Scope.LinksWrite;
    public const string ClicksWrite = Scope.ClicksWrite;
    public const string AnalyticsRead = Scope.AnalyticsRead;
    public const string Admin = Scope.Admin;

    /// <summary>Reading one link: analytics readers and partner redirectors.</summary>
    public const string LinkRead = "link:read";

    /// <summary>
    /// Reading a link's change history (who changed what, with key ids): those who change links and analytics readers,
    /// not partner redirectors.
    /// </summary>
    public const string LinkHistoryRead = "link-history:read";

    public static void AddScopePolicies(this AuthorizationOptions options)
    {
        options.AddPolicy(LinksWrite, p => p.AddRequirements(new ScopeRequirement(Scope.LinksWrite)));
        options.AddPolicy(ClicksWrite, p => p.AddRequirements(new ScopeRequirement(Scope.ClicksWrite)));
        options.AddPolicy(AnalyticsRead, p => p.AddRequirements(new ScopeRequirement(Scope.AnalyticsRead)));
        options.AddPolicy(Admin, p => p.AddRequirements(new ScopeRequirement(Scope.Admin)));
        options.AddPolicy(LinkRead, p => p.AddRequirements(new ScopeRequirement(Scope.AnalyticsRead, Scope.ClicksWrite)));
        options.AddPolicy(LinkHistoryRead, p => p.AddRequirements(new ScopeRequirement(Scope.LinksWrite, Scope.AnalyticsRead)));

        // A route that forgets its policy is closed to everybody but admins, not open.
        options.FallbackPolicy = new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName)
            .AddRequirements(new ScopeRequirement(Scope.Admin))
            .Build();
    }
}

public sealed class ScopeRequirement(params string[] anyOf) : IAuthorizationRequirement
{
    public IReadOnlyList<string> AnyOf { get; } = anyOf;
}

public sealed class ScopeAuthorizationHandler : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        var scopes = context.User.FindAll(ApiKeyAuthenticationHandler.ScopeClaim).Select(c => c.Value).ToList();
        if (requirement.AnyOf.Any(required => Scope.Grants(scopes, required)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
