using LinkTracking.Domain.Clicks;
using LinkTracking.Infrastructure.Clicks;
using LinkTracking.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.IntegrationTests.Clicks;

/// <summary>
/// Group commit (onto the journal, or into the database), spooling on database failure, and replay without duplicates,
/// on both providers.
/// </summary>
public sealed class ClickPipelineTests(TestProvider provider) : DatabaseFixture(provider)
{
    private string _spoolDirectory = null!;

    [SetUp]
    public void CreateSpoolDirectory() => _spoolDirectory = Directory.CreateTempSubdirectory("pipeline-test-").FullName;

    [TearDown]
    public void DeleteSpoolDirectory() => Directory.Delete(_spoolDirectory, recursive: true);

    [Test]
    public async Task Journal_ConcurrentClicks_AreOnDiskWhenAcknowledged_InFewerFsyncsThanClicks()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        await using var pipeline = await StartAsync(TestData.Writer(Database), ClickDurability.Journal);
        var clicks = Enumerable.Range(0, 500).Select(i => TestData.Click(link, at: TestData.Now.AddMilliseconds(i))).ToList();

        await Task.WhenAll(clicks.Select(c => Task.Run(async () => await pipeline.Pipeline.RecordAsync(c, CancellationToken.None))));

        // The mover has not run (its interval is an hour): every acknowledged click is in the spool, none in the database.
        var journalled = JournalledClicks();
        Assert.That(journalled.Select(c => c.Id), Is.EquivalentTo(clicks.Select(c => c.Id)));
        Assert.That(await TestData.CountClicksAsync(Database), Is.Zero);
        Assert.That(pipeline.Pipeline.JournalFsyncs, Is.InRange(1, 499), "clicks that arrive during an fsync share the next one");
    }

    [Test]
    public async Task Journal_Flush_MakesAcknowledgedClicksVisible_AndEmptiesTheSpool()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        await using var pipeline = await StartAsync(TestData.Writer(Database), ClickDurability.Journal);
        var clicks = Enumerable.Range(0, 300).Select(i => TestData.Click(link, at: TestData.Now.AddMilliseconds(i))).ToList();
        await pipeline.Pipeline.RecordManyAsync(clicks[..200], CancellationToken.None);
        await pipeline.Pipeline.RecordAsync(clicks[200], CancellationToken.None);
        await Task.WhenAll(clicks[201..].Select(c => pipeline.Pipeline.RecordAsync(c, CancellationToken.None).AsTask()));

        await pipeline.Pipeline.FlushAsync(CancellationToken.None);

        Assert.That(await TestData.CountClicksAsync(Database), Is.EqualTo(300));
        Assert.That(pipeline.Pipeline.Status, Is.EqualTo(new ClickPipelineStatus(0, 20_000, 0, true, 0, TimeSpan.Zero)));
    }

    [Test]
    public async Task Journal_WhileTheDatabaseIsDown_ClicksAreAcknowledged_FlushReturns_AndTheyArriveOnceItIsBack()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        var writer = new SwitchableWriter(TestData.Writer(Database)) { Down = true };
        await using var pipeline = await StartAsync(writer, ClickDurability.Journal);
        var clicks = Enumerable.Range(0, 50).Select(i => TestData.Click(link, at: TestData.Now.AddMilliseconds(i))).ToList();

        foreach (var click in clicks)
        {
            await pipeline.Pipeline.RecordAsync(click, CancellationToken.None);
        }

        await pipeline.Pipeline.FlushAsync(CancellationToken.None);
        var attemptsAfterFirstFlush = writer.Attempts;
        await pipeline.Pipeline.FlushAsync(CancellationToken.None);
        var storedWhileDown = await TestData.CountClicksAsync(Database);
        var statusWhileDown = pipeline.Pipeline.Status;
        writer.Down = false;
        await pipeline.Pipeline.ReplaySpoolAsync(CancellationToken.None);

        Assert.That(writer.Attempts, Is.GreaterThan(0));
        Assert.That(attemptsAfterFirstFlush, Is.EqualTo(writer.Attempts - 1), "once the database is known down, a flush does not try it again (only the mover's replay did)");
        Assert.That(storedWhileDown, Is.Zero);
        Assert.That(statusWhileDown.SpoolBytes, Is.GreaterThan(0));
        Assert.That(statusWhileDown.DatabaseAvailable, Is.False);
        Assert.That(await TestData.CountClicksAsync(Database), Is.EqualTo(50));
        Assert.That(pipeline.Pipeline.Status.SpoolBytes, Is.Zero);
    }

    [Test]
    public async Task Journal_ClicksKeepTheirEnrichment_FromTheSpoolIntoTheDatabase()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        await using var pipeline = await StartAsync(TestData.Writer(Database), ClickDurability.Journal);
        var enriched = TestData.Click(link, ip: "8.8.8.8", enrichment: new ClickEnrichment("US", DeviceType.Mobile, "Mobile Safari", "iOS"));
        var unknown = TestData.Click(link, at: TestData.Now.AddSeconds(1));
        await pipeline.Pipeline.RecordManyAsync([enriched, unknown], CancellationToken.None);

        var journalled = JournalledClicks();
        await pipeline.Pipeline.FlushAsync(CancellationToken.None);

        await using var db = TestData.Context(Database);
        var stored = await db.Clicks.AsNoTracking().OrderBy(c => c.ClickedAt).Select(c => new { c.Country, c.DeviceType, c.Browser, c.Os }).ToListAsync();
        Assert.That(journalled.Select(c => c.Enrichment), Is.EqualTo(new[] { enriched.Enrichment, ClickEnrichment.Unknown }));
        Assert.That(stored, Is.EqualTo(new[]
        {
            new { Country = (string?)"US", DeviceType = (DeviceType?)DeviceType.Mobile, Browser = (string?)"Mobile Safari", Os = (string?)"iOS" },
            new { Country = (string?)null, DeviceType = (DeviceType?)null, Browser = (string?)null, Os = (string?)null },
        }));
    }

    [Test]
    public async Task Journal_Shutdown_CopiesTheSpoolIntoTheDatabase()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        var pipeline = await StartAsync(TestData.Writer(Database), ClickDurability.Journal);
        var pending = Enumerable.Range(0, 200)
            .Select(i => pipeline.Pipeline.RecordAsync(TestData.Click(link, at: TestData.Now.AddMilliseconds(i)), CancellationToken.None).AsTask())
            .ToList();
        await Task.WhenAll(pending);

        await pipeline.DisposeAsync();

        Assert.That(await TestData.CountClicksAsync(Database), Is.EqualTo(200));
        Assert.That(JournalledClicks(), Is.Empty);
    }

    [Test]
    public async Task ConcurrentClicks_AreAllStored_InFewerCommitsThanClicks()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        var writer = new CountingWriter(TestData.Writer(Database));
        await using var pipeline = await StartAsync(writer, ClickDurability.Database);
        var clicks = Enumerable.Range(0, 500).Select(i => TestData.Click(link, at: TestData.Now.AddMilliseconds(i))).ToList();

        await Task.WhenAll(clicks.Select(c => Task.Run(async () => await pipeline.Pipeline.RecordAsync(c, CancellationToken.None))));

        Assert.That(await TestData.CountClicksAsync(Database), Is.EqualTo(500));
        Assert.That(writer.Batches, Is.LessThan(500), "clicks that queue up during a commit share the next one");
    }

    [Test]
    public async Task RecordMany_StoresTheWholeBatchBeforeReturning()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        await using var pipeline = await StartAsync(TestData.Writer(Database), ClickDurability.Database);
        var clicks = Enumerable.Range(0, 1000).Select(i => TestData.Click(link, at: TestData.Now.AddMilliseconds(i))).ToList();

        await pipeline.Pipeline.RecordManyAsync(clicks, CancellationToken.None);

        Assert.That(await TestData.CountClicksAsync(Database), Is.EqualTo(1000));
    }

    [Test]
    public async Task WhenTheDatabaseFails_ClicksAreSpooled_AndReplayedOnceItReturns_WithoutDuplicates()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        var writer = new SwitchableWriter(TestData.Writer(Database)) { Down = true };
        await using var pipeline = await StartAsync(writer, ClickDurability.Database);
        var clicks = Enumerable.Range(0, 50).Select(i => TestData.Click(link, at: TestData.Now.AddMilliseconds(i))).ToList();

        foreach (var click in clicks)
        {
            await pipeline.Pipeline.RecordAsync(click, CancellationToken.None);
        }

        var storedWhileDown = await TestData.CountClicksAsync(Database);
        var statusWhileDown = pipeline.Pipeline.Status;
        writer.Down = false;
        var replayed = await pipeline.Pipeline.ReplaySpoolAsync(CancellationToken.None);
        var replayedAgain = await pipeline.Pipeline.ReplaySpoolAsync(CancellationToken.None);

        Assert.That(storedWhileDown, Is.Zero);
        Assert.That(statusWhileDown.SpoolBytes, Is.GreaterThan(0));
        Assert.That(statusWhileDown.DatabaseAvailable, Is.False);
        Assert.That(replayed && replayedAgain, Is.True);
        Assert.That(await TestData.CountClicksAsync(Database), Is.EqualTo(50));
        Assert.That(pipeline.Pipeline.Status, Is.EqualTo(new ClickPipelineStatus(0, 20_000, 0, true, 0, TimeSpan.Zero)));
    }

    [Test]
    public async Task AClickCommittedButThenAlsoSpooled_IsStoredOnce()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        var click = TestData.Click(link);
        await TestData.SaveClicksAsync(Database, click);
        using (var spool = new ClickSpool(_spoolDirectory))
        {
            spool.Append([click]);
        }

        await using var pipeline = await StartAsync(TestData.Writer(Database));
        await pipeline.Pipeline.ReplaySpoolAsync(CancellationToken.None);

        Assert.That(await TestData.CountClicksAsync(Database), Is.EqualTo(1));
    }

    [Test]
    public async Task AClickTheDatabaseRefuses_IsSetAside_AndDoesNotBlockTheOthers()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        // PostgreSQL refuses metadata that is not JSON (jsonb); SQLite stores text and takes both.
        var refused = TestData.Click(link, metadata: "{not json", at: TestData.Now.AddSeconds(-1));
        var good = TestData.Click(link);
        using (var spool = new ClickSpool(_spoolDirectory))
        {
            spool.Append([refused, good]);
        }

        await using var pipeline = await StartAsync(TestData.Writer(Database));
        var replayed = await pipeline.Pipeline.ReplaySpoolAsync(CancellationToken.None);

        if (Provider == TestProvider.Postgres)
        {
            Assert.That(File.Exists(Path.Combine(_spoolDirectory, ClickSpool.RejectedFileName)), Is.True);
        }

        Assert.That(replayed, Is.True);
        Assert.That(await TestData.CountClicksAsync(Database), Is.EqualTo(Provider == TestProvider.Postgres ? 1 : 2));
        Assert.That(pipeline.Pipeline.Status.SpoolBytes, Is.Zero);
    }

    [Test]
    public async Task AChunkTooBigForTheDatabaseInTime_IsWrittenInHalves_NotOneClickAtATime()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        var clicks = Enumerable.Range(0, 500).Select(i => TestData.Click(link, at: TestData.Now.AddMilliseconds(-i))).ToList();
        using (var spool = new ClickSpool(_spoolDirectory))
        {
            spool.Append(clicks);
        }

        // A loaded database: any write of more than 64 clicks runs past its timeout; an empty probe answers at once.
        var writer = new SizeLimitedWriter(TestData.Writer(Database), maxClicks: 64);
        await using var pipeline = await StartAsync(writer, replayBatchSize: 500);
        var replayed = await pipeline.Pipeline.ReplaySpoolAsync(CancellationToken.None);

        Assert.That(replayed, Is.True);
        Assert.That(await TestData.CountClicksAsync(Database), Is.EqualTo(500));
        Assert.That(File.Exists(Path.Combine(_spoolDirectory, ClickSpool.RejectedFileName)), Is.False);
        // 500 → 250 → 125 → 62/63: eight writes of at most 64 stored everything (one at a time would take 500).
        Assert.That(writer.Stored, Has.All.LessThanOrEqualTo(64));
        Assert.That(writer.Stored, Has.Count.EqualTo(8));
    }

    [Test]
    public async Task Shutdown_DrainsQueuedClicks()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        var writer = new SwitchableWriter(TestData.Writer(Database)) { Delay = TimeSpan.FromMilliseconds(50) };
        var pipeline = await StartAsync(writer, ClickDurability.Database);
        var pending = Enumerable.Range(0, 200)
            .Select(i => pipeline.Pipeline.RecordAsync(TestData.Click(link, at: TestData.Now.AddMilliseconds(i)), CancellationToken.None).AsTask())
            .ToList();

        await pipeline.DisposeAsync();
        await Task.WhenAll(pending);

        Assert.That(await TestData.CountClicksAsync(Database), Is.EqualTo(200));
    }

    [Test]
    public async Task AMoverKilledBetweenChunks_ReplaysTheSegmentFromItsStart_AndEveryClickIsStoredOnce()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        var clicks = Enumerable.Range(0, 250).Select(i => TestData.Click(link, at: TestData.Now.AddMilliseconds(i))).ToList();
        using (var spool = new ClickSpool(_spoolDirectory))
        {
            spool.Append(clicks);
        }

        // The first mover writes one chunk of 100, then hangs in the second as if the process were killed there.
        var hanging = new HangingWriter(TestData.Writer(Database), succeedBeforeHanging: 1);
        var killed = await StartAsync(hanging, replayBatchSize: 100);
        var replay = killed.Pipeline.ReplaySpoolAsync(CancellationToken.None);
        await hanging.Hung.WaitAsync(TimeSpan.FromSeconds(30));
        var storedAtTheKill = await TestData.CountClicksAsync(Database);
        var segmentsAtTheKill = Directory.GetFiles(_spoolDirectory, "*" + ClickSpool.Extension);
        killed.Kill();

        await using var restarted = await StartAsync(TestData.Writer(Database), replayBatchSize: 100);
        var moved = await restarted.Pipeline.ReplaySpoolAsync(CancellationToken.None);

        Assert.That(storedAtTheKill, Is.EqualTo(100));
        Assert.That(segmentsAtTheKill, Has.Length.EqualTo(1), "a partly moved segment stays until all of it is in the database");
        Assert.That(moved, Is.True);
        Assert.That(await TestData.CountClicksAsync(Database), Is.EqualTo(250));
        await using (var db = TestData.Context(Database))
        {
            Assert.That(db.Clicks.Select(c => c.Id).Distinct().Count(), Is.EqualTo(250));
        }

        Assert.That(restarted.Pipeline.Status.SpoolBytes, Is.Zero);
        Assert.That(replay.IsCompleted, Is.False, "the killed mover never finished");
    }

    [Test]
    public async Task OverTheDiskBudget_PartnerClicksAreRefused_UntilTheMoverCatchesUp()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        var writer = new SwitchableWriter(TestData.Writer(Database)) { Down = true };
        var oneClick = ClickSpool.Encode([TestData.Click(link)]).Length;
        await using var pipeline = await StartAsync(writer, maxSpoolBytes: oneClick * 20);

        var admittedBefore = pipeline.Pipeline.TryAdmit(20);
        await pipeline.Pipeline.RecordManyAsync(
            Enumerable.Range(0, 20).Select(i => TestData.Click(link, at: TestData.Now.AddMilliseconds(i))).ToList(), CancellationToken.None);
        await pipeline.Pipeline.FlushAsync(CancellationToken.None);
        var admittedOver = pipeline.Pipeline.TryAdmit(1);
        var statusOver = pipeline.Pipeline.Status;
        writer.Down = false;
        await pipeline.Pipeline.ReplaySpoolAsync(CancellationToken.None);

        Assert.That(admittedBefore, Is.True);
        Assert.That(admittedOver, Is.False);
        Assert.That(statusOver.OverDiskBudget, Is.True);
        Assert.That(pipeline.Pipeline.TryAdmit(1), Is.True);
        Assert.That(await TestData.CountClicksAsync(Database), Is.EqualTo(20));
    }

    /// <summary>Every click in the spool's segment files, in order.</summary>
    private List<LinkClick> JournalledClicks() =>
        Directory.EnumerateFiles(_spoolDirectory, "*" + ClickSpool.Extension)
            .Order(StringComparer.Ordinal)
            .SelectMany(f => ClickSpool.Decode(File.ReadAllBytes(f), out _))
            .ToList();

    /// <summary>A pipeline whose mover never runs on its own (the tests replay and flush when they choose).</summary>
    private async Task<RunningPipeline> StartAsync(
        IClickBatchWriter writer,
        ClickDurability durability = ClickDurability.Journal,
        int replayBatchSize = 5000,
        long maxSpoolBytes = 0)
    {
        var options = new ClickPipelineOptions
        {
            SpoolDirectory = _spoolDirectory,
            Durability = durability,
            ReplayInterval = TimeSpan.FromHours(1),
            MoveInterval = TimeSpan.FromHours(1),
            ReplayBatchSize = replayBatchSize,
            MaxSpoolBytes = maxSpoolBytes,
        };
        var parts = ClickRecorders.Create(writer, new ClickSpool(options.SpoolDirectory), Options.Create(options), new TestMeterFactory(), NullLoggerFactory.Instance);
        await parts.Mover.StartAsync(CancellationToken.None);
        await parts.Recorder.StartAsync(CancellationToken.None);
        return new RunningPipeline(parts);
    }

    /// <summary>The recorder and the mover, started and stopped in the host's order (mover first in, last out).</summary>
    private sealed class RunningPipeline(ClickPipelineParts parts) : IAsyncDisposable
    {
        public ClickRecorder Pipeline { get; } = parts.Recorder;

        /// <summary>No drain, no stop: the process is gone.</summary>
        public void Kill()
        {
            parts.Recorder.Dispose();
            parts.Mover.Dispose();
        }

        public async ValueTask DisposeAsync()
        {
            await parts.Recorder.StopAsync(CancellationToken.None);
            await parts.Mover.StopAsync(CancellationToken.None);
            parts.Recorder.Dispose();
            parts.Mover.Dispose();
        }
    }

    private sealed class CountingWriter(IClickBatchWriter inner) : IClickBatchWriter
    {
        private int _batches;

        public int Batches => _batches;

        public Task WriteAsync(IReadOnlyList<LinkClick> clicks, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _batches);
            return inner.WriteAsync(clicks, cancellationToken);
        }
    }

    /// <summary>The real writer for batches up to a size; a larger batch fails as a statement timeout would.</summary>
    private sealed class SizeLimitedWriter(IClickBatchWriter inner, int maxClicks) : IClickBatchWriter
    {
        /// <summary>Sizes of the batches written.</summary>
        public List<int> Stored { get; } = [];

        public async Task WriteAsync(IReadOnlyList<LinkClick> clicks, CancellationToken cancellationToken)
        {
            if (clicks.Count > maxClicks)
            {
                throw new TimeoutException($"{clicks.Count} clicks: the statement timed out");
            }

            await inner.WriteAsync(clicks, cancellationToken);
            if (clicks.Count > 0)
            {
                Stored.Add(clicks.Count);
            }
        }
    }

    /// <summary>The real writer for the first batches, then a write that never returns: a process killed mid-move.</summary>
    private sealed class HangingWriter(IClickBatchWriter inner, int succeedBeforeHanging) : IClickBatchWriter
    {
        private readonly TaskCompletionSource _hung = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _writes;

        public Task Hung => _hung.Task;

        public async Task WriteAsync(IReadOnlyList<LinkClick> clicks, CancellationToken cancellationToken)
        {
            if (clicks.Count == 0 || Interlocked.Increment(ref _writes) <= succeedBeforeHanging)
            {
                await inner.WriteAsync(clicks, cancellationToken);
                return;
            }

            _hung.TrySetResult();
            await Task.Delay(Timeout.Infinite, CancellationToken.None);
        }
    }

    /// <summary>The real writer, which can be made to fail (a database outage) or slow.</summary>
    private sealed class SwitchableWriter(IClickBatchWriter inner) : IClickBatchWriter
    {
        public volatile bool Down;

        public TimeSpan Delay { get; init; }

        private int _attempts;

        /// <summary>Calls of <see cref="WriteAsync"/>, including failed ones.</summary>
        public int Attempts => _attempts;

        public async Task WriteAsync(IReadOnlyList<LinkClick> clicks, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _attempts);
            if (Down)
            {
                throw new InvalidOperationException("database is down");
            }

            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, cancellationToken);
            }

            await inner.WriteAsync(clicks, cancellationToken);
        }
    }
}
