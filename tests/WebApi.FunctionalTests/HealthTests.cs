using System.Net;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

public sealed class HealthTests(TestProvider provider) : ApiFixture(provider)
{
    [Test]
    public async Task TrackHealth_WhenDependenciesAreUp_ReportsHealthyWithAChecksPerDependency()
    {
        using var response = await Anonymous.GetAsync("/track/health");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        var health = await ReadJsonAsync(response);
        var checks = health.GetProperty("checks");
        Assert.Multiple(() =>
        {
            Assert.That(health.GetProperty("status").GetString(), Is.EqualTo("healthy"));
            Assert.That(health.GetProperty("service").GetString(), Is.Not.Empty);
            Assert.That(health.GetProperty("version").GetString(), Is.Not.Empty);
            Assert.That(Names(checks), Is.SupersetOf(new[] { "database", "cache", "click_queue" }));
            Assert.That(checks.EnumerateObject().Select(c => c.Value.GetProperty("status").GetString()), Is.All.EqualTo("healthy"));
        });
    }

    [Test]
    public async Task TrackHealth_ReportsTheClickQueueDepth()
    {
        using var response = await Anonymous.GetAsync("/track/health");

        var queue = (await ReadJsonAsync(response)).GetProperty("checks").GetProperty("click_queue");
        Assert.That(queue.GetProperty("data").GetProperty("queue_depth").GetInt32(), Is.GreaterThanOrEqualTo(0));
    }

    [Test]
    public async Task Live_ReturnsOk()
    {
        using var response = await Anonymous.GetAsync("/health/live");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Ready_WhenDatabaseIsReachable_ReturnsOk()
    {
        using var response = await Anonymous.GetAsync("/health/ready");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
