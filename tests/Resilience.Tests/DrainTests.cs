using System.Net;
using LinkTracking.Tests.Shared;

namespace LinkTracking.Resilience.Tests;

/// <summary>
/// SIGTERM under load, as an orchestrator stops a node behind a balancer: readiness turns 503 at once while the node
/// keeps answering for the drain delay, then it exits by itself (code 0) with every acknowledged click in the database.
/// </summary>
[NonParallelizable]
public sealed class DrainTests
{
    [Test]
    public async Task Sigterm_TurnsReadinessTo503_WhileTheNodeStillServes_AndEveryAcknowledgedClickIsStored()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Postgres);
        var work = Directory.CreateTempSubdirectory("linktracking-drain-").FullName;
        await using var service = await ServiceProcess.StartAsync(database.ConnectionString, work, new Dictionary<string, string>
        {
            ["Lifecycle:DrainDelay"] = "00:00:03",
            // A long move interval: the clicks are still in the journal when SIGTERM arrives, so the stop must copy them.
            ["ClickPipeline:MoveInterval"] = "00:01:00",
        });
        using var admin = service.CreateClient();
        var trackingId = await RedirectLoad.CreateLinkAsync(admin);
        using var browsers = service.CreateClient(null);
        var load = new RedirectLoad(browsers, trackingId, "drain");
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(workers: 4, stop.Token);
        while (load.AcknowledgedCount < 200)
        {
            await Task.Delay(10);
        }

        Assert.That(await StatusAsync(browsers, "/health/ready"), Is.EqualTo(HttpStatusCode.OK), "ready before the signal");
        var signalled = DateTime.UtcNow;
        service.Terminate();

        HttpStatusCode ready;
        do
        {
            ready = await StatusAsync(browsers, "/health/ready");
        }
        while (ready == HttpStatusCode.OK && DateTime.UtcNow - signalled < TimeSpan.FromSeconds(2));
        var turnedAfter = DateTime.UtcNow - signalled;
        var acknowledgedAtTurn = load.AcknowledgedCount;
        await Task.Delay(1000);
        var servedWhileDraining = load.AcknowledgedCount - acknowledgedAtTurn;
        var liveWhileDraining = await StatusAsync(browsers, "/health/live");

        var exit = await service.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await running;

        TestContext.Progress.WriteLine($"drain test: readiness 503 after {turnedAfter.TotalMilliseconds:F0} ms, {servedWhileDraining} redirects served in the next second, {load.AcknowledgedCount} acknowledged, exit {exit}");
        Assert.Multiple(() =>
        {
            Assert.That(ready, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "readiness turns 503 on SIGTERM");
            Assert.That(liveWhileDraining, Is.EqualTo(HttpStatusCode.OK), "the node still answers while it drains");
            Assert.That(servedWhileDraining, Is.GreaterThan(0), "redirects are still served while it drains");
            Assert.That(exit, Is.EqualTo(0), "the node exits by itself, cleanly, after the drain");
        });
        await load.AssertEveryAcknowledgedClickStoredExactlyOnceAsync(database.ConnectionString);
        Directory.Delete(work, recursive: true);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
    {
        try
        {
            using var response = await client.GetAsync(path);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }
}
