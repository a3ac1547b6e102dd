using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.ApiKeys;
using LinkTracking.Infrastructure.Security;
using LinkTracking.WebApi.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace LinkTracking.WebApi.Dashboard;

/// <summary>
/// Keeps the dashboard's sessions in the database every node shares (<see cref="IDashboardSessionStore"/>): the cookie
/// carries only a random session secret (256 bits), the table only its SHA-256. A session is found again only while
/// its row exists and has not ended (idle window, absolute lifetime <c>Dashboard:SessionLifetime</c>), and only while
/// its key exists, is not revoked and still grants <c>analytics:read</c>; its principal is rebuilt from the key each
/// time, so a changed scope list applies on the next page. Sign-out and revocation delete rows: a copy of the cookie
/// is worth nothing after either.
/// </summary>
public sealed class DashboardTicketStore(IServiceScopeFactory scopes, TimeProvider timeProvider, IOptions<DashboardOptions> options) : ITicketStore
{
    private const int SecretBytes = 32;

    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreAsync(ticket, CancellationToken.None);

    public async Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var keyId = KeyIdOf(ticket.Principal) ?? throw new InvalidOperationException("A dashboard ticket names its API key.");
        var now = timeProvider.GetUtcNow();
        var secret = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));
        await using var scope = scopes.CreateAsyncScope();
        var sessions = scope.ServiceProvider.GetRequiredService<IDashboardSessionStore>();
        sessions.Add(DashboardSession.Start(
            IdOf(secret),
            keyId,
            now.UtcDateTime,
            (ticket.Properties.ExpiresUtc ?? now + DashboardAuthentication.IdleTimeout).UtcDateTime,
            options.Value.SessionLifetime));
        await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(cancellationToken);
        return secret;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, CancellationToken.None);

    public async Task RenewAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        await using var scope = scopes.CreateAsyncScope();
        var session = await scope.ServiceProvider.GetRequiredService<IDashboardSessionStore>().FindAsync(IdOf(key), cancellationToken);
        if (session is null)
        {
            return;
        }

        var now = timeProvider.GetUtcNow();
        session.Renew((ticket.Properties.IssuedUtc ?? now).UtcDateTime, (ticket.Properties.ExpiresUtc ?? now + DashboardAuthentication.IdleTimeout).UtcDateTime);
        await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(cancellationToken);
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, CancellationToken.None);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var sessions = scope.ServiceProvider.GetRequiredService<IDashboardSessionStore>();
        var session = await sessions.FindAsync(IdOf(key), cancellationToken);
        if (session is null)
        {
            return null;
        }

        var apiKey = await scope.ServiceProvider.GetRequiredService<IApiKeyStore>().FindAsync(session.ApiKeyId, cancellationToken);
        if (session.HasEnded(timeProvider.GetUtcNow().UtcDateTime) || apiKey is null || !apiKey.Grants(Scope.AnalyticsRead))
        {
            await sessions.EndAsync(session.Id, cancellationToken);
            return null;
        }

        var properties = new AuthenticationProperties
        {
            IssuedUtc = new DateTimeOffset(session.IssuedAt, TimeSpan.Zero),
            ExpiresUtc = new DateTimeOffset(session.ExpiresAt, TimeSpan.Zero),
        };
        return new AuthenticationTicket(
            DashboardAuthentication.PrincipalFor(new AuthenticatedApiKey(apiKey.Id, apiKey.Name, apiKey.ScopeList)),
            properties,
            DashboardAuthentication.SchemeName);
    }

    public Task RemoveAsync(string key) => RemoveAsync(key, CancellationToken.None);

    public async Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IDashboardSessionStore>().EndAsync(IdOf(key), cancellationToken);
    }

    /// <summary>The row id of a session secret: lower-case hex SHA-256.</summary>
    public static string IdOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static Guid? KeyIdOf(ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirst(ApiKeyAuthenticationHandler.KeyIdClaim)?.Value, out var id) ? id : null;
}
