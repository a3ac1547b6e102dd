using LinkTracking.Tests.Shared;

namespace LinkTracking.Resilience.Tests;

/// <summary>
/// The durability rule with a real process: a 302 means the click survives <c>kill -9</c> of the service
/// right after it, and it is stored exactly once after the restart.
/// </summary>
[NonParallelizable]
public sealed class CrashTests
{
    [Test]
    public async Task KillMinus9UnderLoad_LosesNoAcknowledgedClick_AndStoresNoneTwice()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Postgres, migrate: false);
        var workDirectory = Directory.CreateTempSubdirectory("linktracking-crash-").FullName;
        var service = await ServiceProcess.StartAsync(database.ConnectionString, workDirectory);
        using var admin = service.CreateClient();
        var trackingId = await RedirectLoad.CreateLinkAsync(admin);
        using var browsers = service.CreateClient(null);
        var load = new RedirectLoad(browsers, trackingId, "crash");
        using var stop = new CancellationTokenSource();

        var running = load.RunAsync(workers: 32, stop.Token);
        while (load.AcknowledgedCount < 3000)
        {
            await Task.Delay(10);
        }

        service.KillHard();
        await stop.CancelAsync();
        await running;
        await using var restarted = await ServiceProcess.StartAsync(database.ConnectionString, workDirectory);
        await restarted.WaitUntilSpoolDrainedAsync(TimeSpan.FromSeconds(60));

        TestContext.Progress.WriteLine($"crash test: {load.AcknowledgedCount} acknowledged before kill -9, {load.Failed} failed");
        Assert.That(load.AcknowledgedCount, Is.GreaterThanOrEqualTo(3000));
        await load.AssertEveryAcknowledgedClickStoredExactlyOnceAsync(database.ConnectionString);
        Directory.Delete(workDirectory, recursive: true);
    }
}
