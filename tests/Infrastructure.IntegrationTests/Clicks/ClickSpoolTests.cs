using LinkTracking.Domain.Clicks;
using LinkTracking.Infrastructure.Clicks;

namespace LinkTracking.Infrastructure.IntegrationTests.Clicks;

public sealed class ClickSpoolTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("spool-test-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void AppendThenRead_RoundTripsEveryFieldInOrder()
    {
        var link = TestData.Link();
        var clicks = new[]
        {
            TestData.Click(link, session: "s1", ip: "203.0.113.5", source: ClickSource.Email, eventId: "e1", metadata: """{"a":1}""", userAgent: "UA"),
            TestData.Click(link, at: TestData.Now.AddSeconds(1), ip: "2001:db8::1", botReason: BotClassifier.HeadRequest),
        };
        using var spool = new ClickSpool(_directory);

        spool.Append(clicks);
        var segments = spool.SealSegments();
        var read = ClickSpool.ReadSegment(segments.Single(), out var torn);

        Assert.That(torn, Is.False);
        Assert.That(read.Select(Describe), Is.EqualTo(clicks.Select(Describe)));
    }

    [Test]
    [Platform(Exclude = "Win")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void ANewSpool_IsReadableByTheServiceUserOnly()
    {
        var directory = Path.Combine(_directory, "spool");
        using var spool = new ClickSpool(directory);

        spool.Append([TestData.Click(TestData.Link())]);
        var segment = spool.SealSegments().Single();

        Assert.That(File.GetUnixFileMode(directory), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        Assert.That(File.GetUnixFileMode(segment), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public void Read_WithATornLastRecord_KeepsTheCompleteRecordsBeforeIt()
    {
        var link = TestData.Link();
        var clicks = Enumerable.Range(0, 3).Select(i => TestData.Click(link, at: TestData.Now.AddSeconds(i))).ToArray();
        var bytes = ClickSpool.Encode(clicks);

        var read = ClickSpool.Decode(bytes.AsSpan(0, bytes.Length - 7), out var torn);

        Assert.That(torn, Is.True);
        Assert.That(read.Select(c => c.Id), Is.EqualTo(clicks.Take(2).Select(c => c.Id)));
    }

    [Test]
    public void Read_WithACorruptedRecord_StopsThere()
    {
        var link = TestData.Link();
        var clicks = Enumerable.Range(0, 3).Select(i => TestData.Click(link, at: TestData.Now.AddSeconds(i))).ToArray();
        var one = ClickSpool.Encode([clicks[0]]).Length;
        var bytes = ClickSpool.Encode(clicks);
        bytes[one + 20] ^= 0xFF;

        var read = ClickSpool.Decode(bytes, out var torn);

        Assert.That(torn, Is.True);
        Assert.That(read.Select(c => c.Id), Is.EqualTo(new[] { clicks[0].Id }));
    }

    [Test]
    public void Segments_AreSealedAndListedOldestFirst_AndSurviveARestart()
    {
        var link = TestData.Link();
        var first = TestData.Click(link);
        var second = TestData.Click(link, at: TestData.Now.AddSeconds(1));
        using (var spool = new ClickSpool(_directory))
        {
            spool.Append([first]);
            spool.SealSegments();
            spool.Append([second]);
        }

        using var reopened = new ClickSpool(_directory);
        var segments = reopened.SealSegments();

        Assert.That(reopened.HasPending, Is.True);
        Assert.That(segments.SelectMany(s => ClickSpool.ReadSegment(s, out _)).Select(c => c.Id), Is.EqualTo(new[] { first.Id, second.Id }));
    }

    [Test]
    public void Delete_ReducesPendingBytesToZero()
    {
        using var spool = new ClickSpool(_directory);
        spool.Append([TestData.Click(TestData.Link())]);

        foreach (var segment in spool.SealSegments())
        {
            spool.Delete(segment);
        }

        Assert.That(spool.PendingBytes, Is.Zero);
        Assert.That(spool.HasPending, Is.False);
    }

    private static string Describe(LinkClick c) =>
        string.Join('|', c.Id, c.TrackingId, c.ClickedAt.Ticks, c.ClickedAt.Kind, c.IpAddress, c.UserAgent, c.ReferrerUrl, c.SessionId, c.ClickSource, c.Metadata, c.EventId, c.IsBot, c.BotReason);
}
