using LinkTracking.Domain.Clicks;
using LinkTracking.Infrastructure.Clicks;
using LinkTracking.Infrastructure.FileSystem;
using LinkTracking.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.IntegrationTests.Clicks;

/// <summary>
/// Issue 25, item 4: a segment's name is as durable as its bytes. The spool syncs its directory after it creates a
/// segment (before the clicks in it are acknowledged) and after it deletes one; the recording port sees what the
/// directory held at each sync, so these prove the order, not only that a call was made.
/// </summary>
public sealed class ClickSpoolDirectorySyncTests
{
    private string _root = null!;
    private string _directory = null!;
    private RecordingDirectorySync _sync = null!;

    [SetUp]
    public void CreateDirectory()
    {
        _root = Directory.CreateTempSubdirectory("spool-sync-test-").FullName;
        _directory = Path.Combine(_root, "spool");
        _sync = new RecordingDirectorySync();
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_root, recursive: true);

    [Test]
    public void ANewSpoolDirectory_IsSyncedIntoItsParent()
    {
        using var spool = new ClickSpool(_directory, directorySync: _sync);

        Assert.That(_sync.Calls, Is.EqualTo(new[] { new SyncCall(_root, ["spool"]) }));
    }

    [Test]
    public void AnExistingSpoolDirectory_IsNotSyncedAgainAtStart()
    {
        Directory.CreateDirectory(_directory);

        using var spool = new ClickSpool(_directory, directorySync: _sync);

        Assert.That(_sync.Calls, Is.Empty);
    }

    [Test]
    public void Append_ThatCreatesASegment_SyncsTheDirectoryOnceTheSegmentExists_BeforeItReturns()
    {
        using var spool = new ClickSpool(_directory, directorySync: _sync);
        _sync.Calls.Clear();

        spool.Append([TestData.Click(TestData.Link())]);
        var callsAfterFirstAppend = _sync.Calls.ToList();
        spool.Append([TestData.Click(TestData.Link())]);
        var segment = Path.GetFileName(spool.SealSegments().Single());

        Assert.That(callsAfterFirstAppend, Is.EqualTo(new[] { new SyncCall(_directory, [segment]) }));
        Assert.That(_sync.Calls, Has.Count.EqualTo(1), "an append into the open segment creates no name");
    }

    [Test]
    public void Append_AfterASegmentIsSealed_SyncsTheDirectoryForTheNextSegment()
    {
        using var spool = new ClickSpool(_directory, directorySync: _sync);
        spool.Append([TestData.Click(TestData.Link())]);
        var first = Path.GetFileName(spool.SealSegments().Single());
        _sync.Calls.Clear();

        spool.Append([TestData.Click(TestData.Link())]);
        var second = Path.GetFileName(spool.SealSegments()[^1]);

        Assert.That(_sync.Calls, Is.EqualTo(new[] { new SyncCall(_directory, [first, second]) }));
    }

    [Test]
    public void Delete_SyncsTheDirectoryOnceTheSegmentIsGone()
    {
        using var spool = new ClickSpool(_directory, directorySync: _sync);
        spool.Append([TestData.Click(TestData.Link())]);
        var segment = spool.SealSegments().Single();
        _sync.Calls.Clear();

        spool.Delete(segment);

        Assert.That(_sync.Calls, Is.EqualTo(new[] { new SyncCall(_directory, []) }));
    }

    [Test]
    public void Reject_ThatCreatesTheRejectedFile_SyncsTheDirectory_AndLaterRejectsDoNot()
    {
        using var spool = new ClickSpool(_directory, directorySync: _sync);
        _sync.Calls.Clear();

        spool.Reject([TestData.Click(TestData.Link())]);
        spool.Reject([TestData.Click(TestData.Link())]);

        Assert.That(_sync.Calls, Is.EqualTo(new[] { new SyncCall(_directory, [ClickSpool.RejectedFileName]) }));
    }

    [Test]
    public async Task TheMover_AfterCopyingASegment_DeletesItDurably()
    {
        using var spool = new ClickSpool(_directory, directorySync: _sync);
        spool.Append([TestData.Click(TestData.Link())]);
        var options = Options.Create(new ClickPipelineOptions { SpoolDirectory = _directory });
        var writer = new CountingWriter();
        using var mover = new ClickSpoolMover(writer, spool, options, new ClickPipelineMetrics(new TestMeterFactory(), spool), NullLogger<ClickSpoolMover>.Instance);
        _sync.Calls.Clear();

        var moved = await mover.ReplaySpoolAsync(CancellationToken.None);

        Assert.That(moved, Is.True);
        Assert.That(writer.Clicks, Is.EqualTo(1));
        Assert.That(_sync.Calls, Is.EqualTo(new[] { new SyncCall(_directory, []) }));
    }

    [Test]
    public void Append_WhenTheDirectoryCannotBeSynced_DoesNotAcknowledge()
    {
        using var spool = new ClickSpool(_directory, directorySync: _sync);
        _sync.Fail = true;

        Assert.That(() => spool.Append([TestData.Click(TestData.Link())]), Throws.InstanceOf<IOException>());
    }

    private sealed record SyncCall(string Directory, string[] Entries)
    {
        public bool Equals(SyncCall? other) => other is not null && Directory == other.Directory && Entries.SequenceEqual(other.Entries);

        public override int GetHashCode() => Directory.GetHashCode(StringComparison.Ordinal);

        public override string ToString() => $"{Directory}: [{string.Join(", ", Entries)}]";
    }

    /// <summary>Records each sync with the directory's entries at that moment.</summary>
    private sealed class RecordingDirectorySync : IDirectorySync
    {
        public List<SyncCall> Calls { get; } = [];

        public bool Fail { get; set; }

        public void Sync(string directory)
        {
            if (Fail)
            {
                throw new IOException("fsync failed");
            }

            Calls.Add(new SyncCall(directory, System.IO.Directory.EnumerateFileSystemEntries(directory).Select(e => Path.GetFileName(e)!).Order(StringComparer.Ordinal).ToArray()));
        }
    }

    private sealed class CountingWriter : IClickBatchWriter
    {
        public int Clicks { get; private set; }

        public Task WriteAsync(IReadOnlyList<LinkClick> clicks, CancellationToken cancellationToken)
        {
            Clicks += clicks.Count;
            return Task.CompletedTask;
        }
    }
}
