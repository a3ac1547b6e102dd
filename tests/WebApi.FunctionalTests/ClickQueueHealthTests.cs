using System.Net;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Clicks;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// What <c>/track/health</c>'s <c>click_queue</c> says of the journal: clicks on their way to the database are
/// normal; an unreachable database is not. A real pipeline and spool; the database is a stand-in that can be down.
/// </summary>
public sealed class ClickQueueHealthTests
{
    private string _spoolDirectory = null!;

    [SetUp]
    public void CreateSpoolDirectory() => _spoolDirectory = Directory.CreateTempSubdirectory("health-test-").FullName;

    [TearDown]
    public void DeleteSpoolDirectory() => Directory.Delete(_spoolDirectory, recursive: true);

    [Test]
    public async Task ClicksJournalledButNotYetMoved_AreHealthy_AndShowAsSpoolBytes()
    {
        using var pipeline = await StartAsync(new StandInDatabase());
        await pipeline.RecordAsync(Click(), CancellationToken.None);

        var result = await new ClickPipelineHealthCheck(pipeline).CheckHealthAsync(new HealthCheckContext());

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Healthy));
        Assert.That((long)result.Data["spool_bytes"], Is.GreaterThan(0));
    }

    [Test]
    public async Task WhenTheMoverCannotReachTheDatabase_TheQueueIsDegraded_ButClicksAreStillAcknowledged()
    {
        using var pipeline = await StartAsync(new StandInDatabase { Down = true });
        await pipeline.RecordAsync(Click(), CancellationToken.None);
        var moved = await pipeline.ReplaySpoolAsync(CancellationToken.None);

        var result = await new ClickPipelineHealthCheck(pipeline).CheckHealthAsync(new HealthCheckContext());

        Assert.That(moved, Is.False);
        Assert.That(result.Status, Is.EqualTo(HealthStatus.Degraded));
        Assert.That(result.Description, Does.Contain("unreachable"));
    }

    private static LinkClick Click() => LinkClick.Record(new ClickDetails(
        TrackingId.Parse("lt_healthcheck1"), DateTime.UtcNow, IPAddress.Loopback, "Mozilla/5.0", null, "s", ClickSource.Direct, null, null, null));

    /// <summary>A journal pipeline whose mover never runs on its own.</summary>
    private async Task<ClickRecorder> StartAsync(IClickBatchWriter database)
    {
        var options = new ClickPipelineOptions
        {
            SpoolDirectory = _spoolDirectory,
            MoveInterval = TimeSpan.FromHours(1),
            ReplayInterval = TimeSpan.FromHours(1),
        };
        var parts = ClickRecorders.Create(database, new ClickSpool(_spoolDirectory), Options.Create(options), new TestMeterFactory(), NullLoggerFactory.Instance);
        await parts.Recorder.StartAsync(CancellationToken.None);
        return parts.Recorder;
    }

    private sealed class StandInDatabase : IClickBatchWriter
    {
        public bool Down { get; init; }

        public Task WriteAsync(IReadOnlyList<LinkClick> clicks, CancellationToken cancellationToken) =>
            Down ? Task.FromException(new TimeoutException("database unreachable")) : Task.CompletedTask;
    }
}
