using System.Net;
using System.Net.Http.Json;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// <c>ClickPipeline:MaxSpoolBytes</c>: beyond the spool's disk budget partner clicks are refused with 503 and
/// <c>Retry-After</c> (their senders retry), redirects keep working, and the health check says why. The mover is
/// held back (an hour's interval) so the first click keeps the spool over its one-byte budget.
/// </summary>
public sealed class DiskBudgetTests(TestProvider provider) : ApiFixture(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ClickPipeline:MaxSpoolBytes"] = "1",
        ["ClickPipeline:MoveInterval"] = "01:00:00",
    };

    /// <summary>Each test starts under budget: what the last one spooled is moved, then the tables are cleared again.</summary>
    [SetUp]
    public async Task EmptyTheSpool()
    {
        await Factory.FlushClicksAsync();
        await Factory.Database.ResetAsync();
    }

    [Test]
    public async Task OverTheBudget_PartnerClicksGet503WithRetryAfter_RedirectsStillWork_AndHealthSaysWhy()
    {
        var link = await Factory.CreateLinkAsync(new { original_url = "https://example.com/budget", link_function = "Portfolio" });
        var trackingId = link.GetProperty("tracking_id").GetString()!;

        using var first = await Admin.PostAsJsonAsync($"{Api}/record-click", new { tracking_id = trackingId, event_id = "first" });
        using var refused = await Admin.PostAsJsonAsync($"{Api}/record-click", new { tracking_id = trackingId, event_id = "second" });
        using var refusedBatch = await Admin.PostAsJsonAsync($"{Api}/record-clicks", new { clicks = new[] { new { tracking_id = trackingId, event_id = "third" } } });
        using var redirect = await Anonymous.GetAsync($"/track/{trackingId}");
        using var health = await Anonymous.GetAsync("/track/health");

        var queue = (await ReadJsonAsync(health)).GetProperty("checks").GetProperty("click_queue");
        var problem = await ReadJsonAsync(refused);
        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(refused.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo(503));
            Assert.That(refusedBatch.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(redirect.StatusCode, Is.EqualTo(HttpStatusCode.Found));
            Assert.That(queue.GetProperty("status").GetString(), Is.EqualTo("degraded"));
            Assert.That(queue.GetProperty("description").GetString(), Does.Contain("disk budget"));
        });
    }

    [Test]
    public async Task RefusedClicks_AreNotStored_AndAcceptedOnesAre()
    {
        var link = await Factory.CreateLinkAsync(new { original_url = "https://example.com/budget2", link_function = "Portfolio" });
        var trackingId = link.GetProperty("tracking_id").GetString()!;
        await Admin.PostAsJsonAsync($"{Api}/record-click", new { tracking_id = trackingId, event_id = "kept" });
        await Admin.PostAsJsonAsync($"{Api}/record-click", new { tracking_id = trackingId, event_id = "refused" });

        var analytics = await ReadJsonAsync(await Admin.GetAsync($"{Api}/analytics/{trackingId}?include_bots=true"));

        Assert.That(analytics.GetProperty("click_statistics").GetProperty("total_clicks").GetInt32(), Is.EqualTo(1));
    }
}
