using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// Two instances sharing PostgreSQL and Redis: a key revoked through one is refused by the other at once, although
/// the other keeps authenticated keys in its memory cache for 30 seconds.
/// </summary>
[NonParallelizable]
public sealed class ApiKeyRevocationAcrossInstancesTests
{
    private const string Api = "/api/v1/link-tracking";

    [Test]
    public async Task Revoke_OnOneInstance_Answers401OnTheOtherThatHadTheKeyCached_WithinASecond()
    {
        var redis = Environment.GetEnvironmentVariable(MultiInstanceCacheTests.RedisVariable);
        if (string.IsNullOrEmpty(redis))
        {
            Assert.Fail($"{MultiInstanceCacheTests.RedisVariable} is not set; run ./test.sh, which starts a private Redis, or point it at one you own.");
        }

        await using var database = await TestDatabase.CreateAsync(TestProvider.Postgres, migrate: true);
        var settings = new Dictionary<string, string?> { ["Redis:Configuration"] = redis };
        await using var first = new LinkTrackingApiFactory(database, settings);
        await using var second = new LinkTrackingApiFactory(database, settings);
        using var adminOnFirst = first.AdminClient();
        using var created = await adminOnFirst.PostAsJsonAsync($"{Api}/api-keys", new { name = "partner", scopes = new[] { "analytics:read" } }, LinkTrackingApiFactory.Json);
        var key = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.Clone();
        using var partnerOnSecond = second.ClientWithKey(key.GetProperty("key").GetString());
        using var cachedOnSecond = await partnerOnSecond.GetAsync($"{Api}/report");

        using var revoked = await adminOnFirst.DeleteAsync($"{Api}/api-keys/{key.GetProperty("id").GetString()}");
        var clock = Stopwatch.StartNew();
        var status = HttpStatusCode.OK;
        while (clock.Elapsed < TimeSpan.FromSeconds(1))
        {
            using var response = await partnerOnSecond.GetAsync($"{Api}/report");
            status = response.StatusCode;
            if (status == HttpStatusCode.Unauthorized)
            {
                break;
            }

            await Task.Delay(20);
        }

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(cachedOnSecond.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the other instance authenticated (and cached) the key before the revocation");
        Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized), $"the other instance still accepts a revoked key after {clock.Elapsed.TotalMilliseconds:F0} ms");
    }
}
