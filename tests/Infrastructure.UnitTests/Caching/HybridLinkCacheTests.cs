using System.Net.Sockets;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Models;
using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Caching;
using LinkTracking.Infrastructure.Telemetry;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using Npgsql;

namespace LinkTracking.Infrastructure.UnitTests.Caching;

/// <summary>
/// The redirect's link lookup through an outage: a node whose cache was emptied (after a Redis reconnect) keeps
/// redirecting the links it knew while the database does not answer, and only those it has not been told changed.
/// </summary>
public sealed class HybridLinkCacheTests
{
    private static readonly TrackingId Id = TrackingId.Parse("lt_abcdefgh2345");
    private static readonly LinkTarget Target = new(Id.Value, "https://jobs.example/apply", IsActive: true);

    private readonly Mock<ITrackedLinkRepository> _links = new();
    private ServiceProvider _services = null!;
    private HybridLinkCache _cache = null!;

    [SetUp]
    public void SetUp()
    {
        var services = new ServiceCollection();
        services.AddHybridCache();
        services.AddMetrics();
        services.AddScoped(_ => _links.Object);
        _services = services.BuildServiceProvider();
        _cache = new HybridLinkCache(
            _services.GetRequiredService<HybridCache>(),
            _services.GetRequiredService<IServiceScopeFactory>(),
            Mock.Of<ILinkInvalidationBus>(),
            TimeProvider.System,
            new ServiceMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        _links.Setup(l => l.FindTargetAsync(Id, It.IsAny<CancellationToken>())).ReturnsAsync(Target);
        _links.Setup(l => l.FindTrackingIdByShortCodeAsync("go.brand.test", "p1", It.IsAny<CancellationToken>())).ReturnsAsync(Id.Value);
    }

    [TearDown]
    public void TearDown() => _services.Dispose();

    [Test]
    public async Task AfterTheCacheIsDropped_ALinkLoadedBefore_StillRedirectsWhileTheDatabaseDoesNotAnswer()
    {
        await _cache.GetAsync(Id, CancellationToken.None);
        await _cache.FindByShortCodeAsync("go.brand.test", "p1", CancellationToken.None);
        await _cache.RemoveAllLocalAsync(CancellationToken.None);
        DatabaseDown();

        Assert.That(await _cache.GetAsync(Id, CancellationToken.None), Is.EqualTo(Target));
        Assert.That(await _cache.FindByShortCodeAsync("go.brand.test", "p1", CancellationToken.None), Is.EqualTo(Id));
    }

    [Test]
    public async Task ALinkHeardToHaveChanged_OrNeverLoaded_IsNotServedFromALastAnswer()
    {
        await _cache.GetAsync(Id, CancellationToken.None);
        await _cache.RemoveLocalAsync(Id.Value, CancellationToken.None);
        DatabaseDown();

        Assert.That(async () => await _cache.GetAsync(Id, CancellationToken.None), Throws.InstanceOf<NpgsqlException>());
        Assert.That(async () => await _cache.FindByShortCodeAsync("go.brand.test", "p1", CancellationToken.None), Throws.InstanceOf<NpgsqlException>());
    }

    private void DatabaseDown()
    {
        var down = new NpgsqlException("Exception while reading from stream", new SocketException((int)SocketError.ConnectionRefused));
        _links.Setup(l => l.FindTargetAsync(Id, It.IsAny<CancellationToken>())).ThrowsAsync(down);
        _links.Setup(l => l.FindTrackingIdByShortCodeAsync("go.brand.test", "p1", It.IsAny<CancellationToken>())).ThrowsAsync(down);
    }
}
