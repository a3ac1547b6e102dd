using System.Diagnostics;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>Two instances sharing PostgreSQL and Redis: a link deactivated on one stops redirecting on the other.</summary>
[NonParallelizable]
public sealed class MultiInstanceCacheTests
{
    public const string RedisVariable = "LINKTRACKING_TEST_REDIS";

    [Test]
    public async Task Deactivate_OnOneInstance_Answers404OnTheOther_WithinASecond()
    {
        var settings = RedisSettings();
        await using var database = await TestDatabase.CreateAsync(TestProvider.Postgres, migrate: true);
        await using var first = new LinkTrackingApiFactory(database, settings);
        await using var second = new LinkTrackingApiFactory(database, settings);
        var link = await first.CreateLinkAsync(new { original_url = "https://example.com/portfolio", link_function = "Portfolio" });
        var trackingId = link.GetProperty("tracking_id").GetString();
        using var browserOnSecond = second.ClientWithKey(null);
        using var adminOnFirst = first.AdminClient();
        using var cachedOnSecond = await browserOnSecond.GetAsync($"/track/{trackingId}");

        using var deactivated = await adminOnFirst.PostAsync($"/api/v1/link-tracking/links/{trackingId}/deactivate", null);
        var clock = Stopwatch.StartNew();
        var status = HttpStatusCode.Found;
        while (clock.Elapsed < TimeSpan.FromSeconds(1))
        {
            using var response = await browserOnSecond.GetAsync($"/track/{trackingId}");
            status = response.StatusCode;
            if (status == HttpStatusCode.NotFound)
            {
                break;
            }

            await Task.Delay(20);
        }

        Assert.That(cachedOnSecond.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(deactivated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound), "the other instance still redirects a deactivated link after 1 s");
    }

    [Test]
    public async Task Activate_OnOneInstance_RedirectsAgainOnTheOther()
    {
        var settings = RedisSettings();
        await using var database = await TestDatabase.CreateAsync(TestProvider.Postgres, migrate: true);
        await using var first = new LinkTrackingApiFactory(database, settings);
        await using var second = new LinkTrackingApiFactory(database, settings);
        var link = await first.CreateLinkAsync(new { original_url = "https://example.com/cv", link_function = "Resume" });
        var trackingId = link.GetProperty("tracking_id").GetString();
        using var browserOnSecond = second.ClientWithKey(null);
        using var adminOnFirst = first.AdminClient();
        (await adminOnFirst.PostAsync($"/api/v1/link-tracking/links/{trackingId}/deactivate", null)).Dispose();
        using var goneOnSecond = await browserOnSecond.GetAsync($"/track/{trackingId}");

        (await adminOnFirst.PostAsync($"/api/v1/link-tracking/links/{trackingId}/activate", null)).Dispose();
        await Task.Delay(300);
        using var backOnSecond = await browserOnSecond.GetAsync($"/track/{trackingId}");

        Assert.That(goneOnSecond.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(backOnSecond.StatusCode, Is.EqualTo(HttpStatusCode.Found));
    }

    [Test]
    public async Task AfterAReconnectToRedis_AnInstanceForgetsItsCachedLinks_AChangeItMayNotHaveHeard()
    {
        var settings = RedisSettings();
        await using var database = await TestDatabase.CreateAsync(TestProvider.Postgres, migrate: true);
        await using var instance = new LinkTrackingApiFactory(database, settings);
        var link = await instance.CreateLinkAsync(new { original_url = "https://example.com/talk", link_function = "Portfolio" });
        var trackingId = link.GetProperty("tracking_id").GetString();
        using var browser = instance.ClientWithKey(null);
        using var cached = await browser.GetAsync($"/track/{trackingId}");

        // A deactivation whose message this instance never heard (it was published while its connection was down).
        await using (var db = database.CreateContext())
        {
            await db.Database.ExecuteSqlAsync($"UPDATE link_tracking SET is_active = false WHERE tracking_id = {trackingId}");
        }

        using var stale = await browser.GetAsync($"/track/{trackingId}");
        var multiplexer = instance.Services.GetRequiredService<IConnectionMultiplexer>();
        await multiplexer.GetServers()[0].ExecuteAsync("CLIENT", "KILL", "TYPE", "pubsub");
        var clock = Stopwatch.StartNew();
        var status = HttpStatusCode.Found;
        while (clock.Elapsed < TimeSpan.FromSeconds(10) && status != HttpStatusCode.NotFound)
        {
            await Task.Delay(50);
            using var response = await browser.GetAsync($"/track/{trackingId}");
            status = response.StatusCode;
        }

        Assert.Multiple(() =>
        {
            Assert.That(cached.StatusCode, Is.EqualTo(HttpStatusCode.Found));
            Assert.That(stale.StatusCode, Is.EqualTo(HttpStatusCode.Found), "the cached link is served until something says it changed");
            Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound), "after the reconnect the link is read from the database again");
        });
    }

    /// <summary>The private Redis of ./test.sh, as an instance's configuration.</summary>
    private static Dictionary<string, string?> RedisSettings() => new()
    {
        ["Redis:Configuration"] = Environment.GetEnvironmentVariable(RedisVariable)
            ?? throw new InvalidOperationException($"{RedisVariable} is not set; run ./test.sh, which starts a private Redis."),
    };
}
