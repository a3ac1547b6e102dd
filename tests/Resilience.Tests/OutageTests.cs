namespace LinkTracking.Resilience.Tests;

/// <summary>
/// PostgreSQL stops under load: cached links keep answering 302 (clicks go to the fsync'd spool); when it is
/// back, the spool is replayed and every acknowledged click is stored exactly once.
/// </summary>
[NonParallelizable]
public sealed class OutageTests
{
    [Test]
    public async Task DatabaseStopsUnderLoad_RedirectsContinue_AndEveryAcknowledgedClickArrivesOnce()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        await postgres.CreateDatabaseAsync("linktracking");
        var connectionString = postgres.ConnectionString("linktracking");
        var workDirectory = Directory.CreateTempSubdirectory("linktracking-outage-").FullName;
        await using var service = await ServiceProcess.StartAsync(connectionString, workDirectory, new Dictionary<string, string>
        {
            ["ClickPipeline:WriteTimeout"] = "00:00:01",
            ["ClickPipeline:ReplayInterval"] = "00:00:00.250",
        });
        using var admin = service.CreateClient();
        var trackingId = await RedirectLoad.CreateLinkAsync(admin);
        using var browsers = service.CreateClient(null);
        var load = new RedirectLoad(browsers, trackingId, "outage");
        using var stop = new CancellationTokenSource();

        var running = load.RunAsync(workers: 16, stop.Token);
        await WaitForAsync(() => load.AcknowledgedCount >= 500);
        await postgres.StopServerAsync();
        var beforeOutage = load.AcknowledgedCount;
        await Task.Delay(TimeSpan.FromSeconds(3));
        var duringOutage = load.AcknowledgedCount - beforeOutage;
        await postgres.StartServerAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        await stop.CancelAsync();
        await running;
        await service.WaitUntilSpoolDrainedAsync(TimeSpan.FromSeconds(60));

        TestContext.Progress.WriteLine($"outage test: {load.AcknowledgedCount} acknowledged, {duringOutage} while PostgreSQL was down, {load.Failed} failed");
        Assert.That(duringOutage, Is.GreaterThan(100), "cached links keep redirecting while the database is down");
        await load.AssertEveryAcknowledgedClickStoredExactlyOnceAsync(connectionString);
        Directory.Delete(workDirectory, recursive: true);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "timed out waiting for load");
            await Task.Delay(10);
        }
    }
}
