using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// PostgreSQL or Redis unreachable when a node starts (issue 10, "bad input and faults"): the node starts anyway
/// instead of crashing — not ready without its database, redirecting on its per-node fallbacks without Redis.
/// </summary>
public sealed class DatabaseStartupTests
{
    [Test]
    public async Task ANodeWhoseDatabaseIsUnreachableAtStartUp_StartsLive_AndReportsNotReady()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Postgres, migrate: false);
        await using var factory = new LinkTrackingApiFactory(database, new Dictionary<string, string?>
        {
            ["ConnectionStrings:LinkTracking"] = $"Host=127.0.0.1;Port={ClosedPort()};Username=postgres;Database=none;Timeout=2",
        });
        using var client = factory.CreateClient();

        using var live = await client.GetAsync("/health/live");
        using var ready = await client.GetAsync("/health/ready");
        using var health = await client.GetAsync("/track/health");
        var checks = JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");

        Assert.Multiple(() =>
        {
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(checks.GetProperty("database_startup").GetProperty("status").GetString(), Is.EqualTo("unhealthy"));
            Assert.That(checks.GetProperty("database").GetProperty("status").GetString(), Is.EqualTo("unhealthy"));
        });
    }

    [Test]
    public async Task ANodeWhoseRedisIsUnreachableAtStartUp_StartsAndRedirects()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        await using var factory = new LinkTrackingApiFactory(database, new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = $"127.0.0.1:{ClosedPort()},connectTimeout=500",
        });
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", LinkTrackingApiFactory.AdminKey);

        using var created = await client.PostAsJsonAsync("/api/v1/link-tracking/create", new { original_url = "https://example.com/cv", link_function = "Portfolio" });
        var trackingId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("tracking_id").GetString();
        using var live = await client.GetAsync("/health/live");
        using var redirect = await factory.CreateClient(new() { AllowAutoRedirect = false }).GetAsync($"/track/{trackingId}");

        Assert.Multiple(() =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(redirect.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        });
    }

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
