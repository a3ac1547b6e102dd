using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.ApiKeys;
using LinkTracking.Infrastructure.Security;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Npgsql;

namespace LinkTracking.Infrastructure.UnitTests.Security;

/// <summary>While the database is unreachable, keys a node has already checked keep working; unknown ones get a 503, not a 500.</summary>
public sealed class ApiKeyAuthenticatorOutageTests
{
    private const string Secret = "ltk_PartnerKeyForOutageTests0000000000000";

    private Mock<IApiKeyStore> _store = null!;
    private MemoryCache _cache = null!;
    private ApiKeyAuthenticator _authenticator = null!;

    [SetUp]
    public void SetUp()
    {
        _store = new Mock<IApiKeyStore>();
        _cache = new MemoryCache(new MemoryCacheOptions());
        var services = new ServiceCollection();
        services.AddScoped(_ => _store.Object);
        services.AddScoped(_ => Mock.Of<IUnitOfWork>());
        _authenticator = new ApiKeyAuthenticator(services.BuildServiceProvider().GetRequiredService<IServiceScopeFactory>(), _cache, TimeProvider.System, NullLogger<ApiKeyAuthenticator>.Instance);
    }

    [TearDown]
    public void TearDown() => _cache.Dispose();

    [Test]
    public async Task AKnownKey_StillAuthenticates_WhenTheDatabaseBecomesUnreachable()
    {
        var key = ApiKey.Create("partner", [Scope.ClicksWrite], ApiKeySecrets.Hash(Secret), "ltk_Part", DateTime.UtcNow);
        _store.Setup(s => s.FindByHashAsync(ApiKeySecrets.Hash(Secret), It.IsAny<CancellationToken>())).ReturnsAsync(key);
        Assert.That(await _authenticator.AuthenticateAsync(Secret, CancellationToken.None), Is.Not.Null);

        _store.Setup(s => s.FindByHashAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new NpgsqlException("Failed to connect"));
        _cache.Compact(1.0); // the 30 s entry expires; the last known answer is kept

        var during = await _authenticator.AuthenticateAsync(Secret, CancellationToken.None);
        Assert.That(during?.Scopes, Is.EqualTo(new[] { Scope.ClicksWrite }));
    }

    [Test]
    public void AKeyNeverSeen_IsAnswered503_WhenTheDatabaseIsUnreachable()
    {
        _store.Setup(s => s.FindByHashAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", new NpgsqlException("Failed to connect")));

        Assert.ThrowsAsync<ServiceUnavailableException>(async () => await _authenticator.AuthenticateAsync(Secret, CancellationToken.None));
    }

    [Test]
    public async Task AnErrorTheDatabaseAnswered_IsNotMistakenForAnOutage()
    {
        var key = ApiKey.Create("partner", [Scope.ClicksWrite], ApiKeySecrets.Hash(Secret), "ltk_Part", DateTime.UtcNow);
        _store.Setup(s => s.FindByHashAsync(ApiKeySecrets.Hash(Secret), It.IsAny<CancellationToken>())).ReturnsAsync(key);
        await _authenticator.AuthenticateAsync(Secret, CancellationToken.None);

        // A missing table is a fault to surface (a 500 and a log entry), not a reason to answer from memory.
        _store.Setup(s => s.FindByHashAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new PostgresException("relation \"api_keys\" does not exist", "ERROR", "ERROR", "42P01"));
        _cache.Compact(1.0);

        Assert.ThrowsAsync<PostgresException>(async () => await _authenticator.AuthenticateAsync(Secret, CancellationToken.None));
    }

    [Test]
    public async Task ARevokedKey_HasNoLastKnownAnswerToFallBackOn()
    {
        var key = ApiKey.Create("partner", [Scope.ClicksWrite], ApiKeySecrets.Hash(Secret), "ltk_Part", DateTime.UtcNow);
        _store.Setup(s => s.FindByHashAsync(ApiKeySecrets.Hash(Secret), It.IsAny<CancellationToken>())).ReturnsAsync(key);
        await _authenticator.AuthenticateAsync(Secret, CancellationToken.None);

        _authenticator.Forget(ApiKeySecrets.Hash(Secret));
        _store.Setup(s => s.FindByHashAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new NpgsqlException("Failed to connect"));

        Assert.ThrowsAsync<ServiceUnavailableException>(async () => await _authenticator.AuthenticateAsync(Secret, CancellationToken.None));
    }

    [Test]
    public async Task AfterARedisReconnect_AKnownKey_KeepsItsLastKnownAnswer_WhileTheDatabaseIsDown()
    {
        var key = ApiKey.Create("partner", [Scope.ClicksWrite], ApiKeySecrets.Hash(Secret), "ltk_Part", DateTime.UtcNow);
        _store.Setup(s => s.FindByHashAsync(ApiKeySecrets.Hash(Secret), It.IsAny<CancellationToken>())).ReturnsAsync(key);
        await _authenticator.AuthenticateAsync(Secret, CancellationToken.None);

        _store.Setup(s => s.FindByHashAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new NpgsqlException("Failed to connect"));
        _authenticator.ForgetAll(); // Redis came back while PostgreSQL is down

        var during = await _authenticator.AuthenticateAsync(Secret, CancellationToken.None);
        Assert.That(during?.Scopes, Is.EqualTo(new[] { Scope.ClicksWrite }));
    }

    [Test]
    public async Task AfterARedisReconnect_AKeyRevokedMeanwhile_IsRefusedAtOnce_AndKeepsNoLastKnownAnswer()
    {
        var key = ApiKey.Create("partner", [Scope.ClicksWrite], ApiKeySecrets.Hash(Secret), "ltk_Part", DateTime.UtcNow);
        _store.Setup(s => s.FindByHashAsync(ApiKeySecrets.Hash(Secret), It.IsAny<CancellationToken>())).ReturnsAsync(key);
        await _authenticator.AuthenticateAsync(Secret, CancellationToken.None);

        // Revoked on another node while this one was not listening to Redis.
        key.Revoke(DateTime.UtcNow);
        _authenticator.ForgetAll();
        Assert.That(await _authenticator.AuthenticateAsync(Secret, CancellationToken.None), Is.Null, "looked up again on the reconnect");

        _store.Setup(s => s.FindByHashAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new NpgsqlException("Failed to connect"));
        _cache.Compact(1.0);
        Assert.ThrowsAsync<ServiceUnavailableException>(async () => await _authenticator.AuthenticateAsync(Secret, CancellationToken.None));
    }
}
