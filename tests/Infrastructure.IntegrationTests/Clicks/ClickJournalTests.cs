using LinkTracking.Domain.Clicks;
using LinkTracking.Infrastructure.Clicks;

namespace LinkTracking.Infrastructure.IntegrationTests.Clicks;

/// <summary>The journal on its own: a real spool on disk, no database.</summary>
public sealed class ClickJournalTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("journal-test-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task AnAppend_CompletesOnlyOnceItsClickIsInTheSpool()
    {
        var clicks = Enumerable.Range(0, 3).Select(i => TestData.Click(TestData.Link(), at: TestData.Now.AddSeconds(i))).ToList();
        using var spool = new ClickSpool(_directory);
        using var journal = new ClickJournal(spool, capacity: 100, linger: TimeSpan.Zero);

        await journal.AppendAsync(clicks[0]);
        await journal.AppendAsync(clicks[1..]);

        Assert.That(Spooled(spool).Select(c => c.Id), Is.EqualTo(clicks.Select(c => c.Id)));
        Assert.That(journal.Fsyncs, Is.InRange(1, 2));
    }

    [Test]
    public async Task WithASubMillisecondLinger_SmallBatchesStillBecomeDurable()
    {
        var link = TestData.Link();
        var clicks = Enumerable.Range(0, 20).Select(i => TestData.Click(link, at: TestData.Now.AddSeconds(i))).ToList();
        using var spool = new ClickSpool(_directory);
        using var journal = new ClickJournal(spool, capacity: 100, linger: TimeSpan.FromMicroseconds(200));

        foreach (var click in clicks)
        {
            await journal.AppendAsync(click);
        }

        Assert.That(Spooled(spool).Select(c => c.Id), Is.EqualTo(clicks.Select(c => c.Id)));
    }

    [Test]
    public async Task WhenTheOpenBatchIsFull_TheCallerWritesItsOwnClick_InsteadOfQueueingMore()
    {
        var link = TestData.Link();
        var first = TestData.Click(link, at: TestData.Now);
        var second = TestData.Click(link, at: TestData.Now.AddSeconds(1));
        using var spool = new ClickSpool(_directory);
        // A one-click batch, and a journal thread that lingers a second before writing a small batch: the second
        // append finds the batch full.
        using var journal = new ClickJournal(spool, capacity: 1, linger: TimeSpan.FromSeconds(1));

        var firstDurable = journal.AppendAsync(first);
        var secondDurable = journal.AppendAsync(second);
        var secondWasWrittenByItsCaller = secondDurable.IsCompletedSuccessfully;
        var firstWasStillWaiting = !firstDurable.IsCompleted;
        await firstDurable;

        Assert.That(secondWasWrittenByItsCaller, Is.True, "the caller fsync'd its own click before returning");
        Assert.That(firstWasStillWaiting, Is.True);
        Assert.That(Spooled(spool).Select(c => c.Id), Is.EqualTo(new[] { second.Id, first.Id }));
    }

    [Test]
    public async Task Dispose_WritesTheOpenBatch_AndLaterAppendsAreWrittenByTheirCallers()
    {
        var link = TestData.Link();
        var clicks = Enumerable.Range(0, 2).Select(i => TestData.Click(link, at: TestData.Now.AddSeconds(i))).ToList();
        using var spool = new ClickSpool(_directory);
        var journal = new ClickJournal(spool, capacity: 100, linger: TimeSpan.FromSeconds(1));

        var pending = journal.AppendAsync(clicks[0]);
        journal.Dispose();
        var late = journal.AppendAsync(clicks[1]);

        Assert.That(pending.IsCompletedSuccessfully && late.IsCompletedSuccessfully, Is.True);
        Assert.That(Spooled(spool).Select(c => c.Id), Is.EqualTo(clicks.Select(c => c.Id)));
        await Task.WhenAll(pending, late);
    }

    private static List<LinkClick> Spooled(ClickSpool spool) =>
        spool.SealSegments().SelectMany(segment => TestData.ReadSegment(segment, out _)).ToList();
}
