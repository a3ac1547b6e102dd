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
            TestData.Click(link, session: "s1", ip: "203.0.113.5", source: ClickSource.Email, eventId: "e1", metadata: """{"a":1}""", userAgent: "UA",
                enrichment: new ClickEnrichment("DE", DeviceType.Tablet, "Mobile Safari", "iOS"), variant: "b2"),
            TestData.Click(link, at: TestData.Now.AddSeconds(2), enrichment: new ClickEnrichment(null, DeviceType.Other, null, null)),
            TestData.Click(link, at: TestData.Now.AddSeconds(1), ip: "2001:db8::1", classification: ClickClassification.Bot(BotCategory.Scanner, ClickSignals.HeadRequest)),
        };
        using var spool = new ClickSpool(_directory);

        spool.Append(clicks);
        var segments = spool.SealSegments();
        var read = TestData.ReadSegment(segments.Single(), out var torn);

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

        var read = ClickSpool.Decode(bytes[..^7], out var torn);

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
        Assert.That(segments.SelectMany(s => TestData.ReadSegment(s, out _)).Select(c => c.Id), Is.EqualTo(new[] { first.Id, second.Id }));
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
        string.Join('|', c.Id, c.TrackingId, c.ClickedAt.Ticks, c.ClickedAt.Kind, c.IpAddress, c.UserAgent, c.ReferrerUrl, c.SessionId, c.ClickSource, c.Metadata, c.EventId, c.IsBot, c.BotReason, c.BotCategory, c.Signals, c.Country, c.DeviceType, c.Browser, c.Os, c.Variant);

    [Test]
    public void Append_PastTheSegmentSize_SealsTheSegment_SoABacklogIsManyBoundedFiles()
    {
        var link = TestData.Link();
        var oneClick = ClickSpool.Encode([TestData.Click(link, userAgent: new string('a', 500))]).Length;
        using var spool = new ClickSpool(_directory, maxSegmentBytes: oneClick * 10);

        for (var i = 0; i < 95; i++)
        {
            spool.Append([TestData.Click(link, at: TestData.Now.AddMilliseconds(i), userAgent: new string('a', 500))]);
        }

        var segments = spool.SealSegments();
        Assert.That(segments, Has.Count.EqualTo(10), "nine full segments of ten clicks and one of five");
        Assert.That(segments.Select(s => new FileInfo(s).Length), Has.All.LessThanOrEqualTo(oneClick * 10));
        Assert.That(segments.Sum(s => TestData.ReadSegment(s, out _).Count), Is.EqualTo(95));
    }

    [Test]
    public void OpenSegment_ReadsInChunksOfTheAskedSize_InOrder()
    {
        var link = TestData.Link();
        var clicks = Enumerable.Range(0, 25).Select(i => TestData.Click(link, at: TestData.Now.AddSeconds(i))).ToArray();
        using var spool = new ClickSpool(_directory);
        spool.Append(clicks);
        var segment = spool.SealSegments().Single();

        using var reader = ClickSpool.OpenSegment(segment);
        var chunks = new List<List<Guid>>();
        var chunk = new List<LinkClick>();
        while (reader.ReadChunk(chunk, 10) > 0)
        {
            chunks.Add(chunk.Select(c => c.Id).ToList());
            chunk.Clear();
        }

        Assert.That(chunks.Select(c => c.Count), Is.EqualTo(new[] { 10, 10, 5 }));
        Assert.That(chunks.SelectMany(c => c), Is.EqualTo(clicks.Select(c => c.Id)));
        Assert.That(reader.Torn, Is.False);
    }

    [Test]
    public void OpenSegment_WithATornTailOnDisk_StreamsTheCompleteRecordsAndSaysTorn()
    {
        var link = TestData.Link();
        var clicks = Enumerable.Range(0, 12).Select(i => TestData.Click(link, at: TestData.Now.AddSeconds(i))).ToArray();
        using var spool = new ClickSpool(_directory);
        spool.Append(clicks);
        var segment = spool.SealSegments().Single();
        using (var file = new FileStream(segment, FileMode.Open))
        {
            file.SetLength(file.Length - 3); // the last record's write was cut short by a crash
        }

        var read = TestData.ReadSegment(segment, out var torn);

        Assert.That(torn, Is.True);
        Assert.That(read.Select(c => c.Id), Is.EqualTo(clicks[..11].Select(c => c.Id)));
    }

    [Test]
    public void OpenSegment_WithAnAbsurdRecordLength_StopsThere_InsteadOfAllocatingIt()
    {
        var link = TestData.Link();
        var first = ClickSpool.Encode([TestData.Click(link)]);
        var bogus = new byte[64];
        BitConverter.TryWriteBytes(bogus.AsSpan(0, 4), int.MaxValue - 16);
        var path = Path.Combine(_directory, "000000000001" + ClickSpool.Extension);
        File.WriteAllBytes(path, [.. first, .. bogus]);

        var read = TestData.ReadSegment(path, out var torn);

        Assert.That(torn, Is.True);
        Assert.That(read, Has.Count.EqualTo(1));
    }

    [Test]
    public void ARecordOfTheFirstFormat_LeftInASpoolByAnEarlierVersion_IsStillRead()
    {
        // Version 1 had no category, signals or origin: a bot had only its reason.
        var link = TestData.Link();
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write((byte)1);
            writer.Write(Guid.NewGuid().ToByteArray());
            writer.Write(link.TrackingId.Value);
            writer.Write(TestData.Now.Ticks);
            writer.Write((byte)0);
            writer.Write(true);
            writer.Write("curl/8.4.0");
            writer.Write(false);
            writer.Write(false);
            writer.Write(ClickSource.Direct);
            writer.Write(false);
            writer.Write(false);
            writer.Write(true);
            writer.Write("head_request");
        }

        var click = ClickSpool.Decode(Record(payload.ToArray()), out var torn).Single();

        Assert.That(torn, Is.False);
        Assert.That((click.UserAgent, click.IsBot, click.BotCategory, click.BotReason, click.Signals, click.Origin),
            Is.EqualTo(("curl/8.4.0", true, BotCategory.Scanner, "head_request", "head_request", (string?)null)));
        Assert.That(click.Enrichment, Is.EqualTo(ClickEnrichment.Unknown));
    }

    [Test]
    public void ARecordOfTheSecondFormat_LeftInASpoolByAnEarlierVersion_IsStillRead_WithItsEnrichmentUnknown()
    {
        // Version 2 had the category, signals and origin but no enrichment.
        var link = TestData.Link();
        var id = Guid.NewGuid();
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write((byte)2);
            writer.Write(id.ToByteArray());
            writer.Write(link.TrackingId.Value);
            writer.Write(TestData.Now.Ticks);
            writer.Write((byte)4);
            writer.Write(new byte[] { 203, 0, 113, 9 });
            writer.Write(true);
            writer.Write("Mozilla/5.0");
            writer.Write(false);
            writer.Write(false);
            writer.Write(ClickSource.Email);
            writer.Write(false);
            writer.Write(true);
            writer.Write("evt-2");
            writer.Write(false);
            writer.Write((byte)BotCategory.Human);
            writer.Write(false);
            writer.Write(true);
            writer.Write("203.0.113.0/24");
        }

        var click = ClickSpool.Decode(Record(payload.ToArray()), out var torn).Single();

        Assert.That(torn, Is.False);
        Assert.That((click.Id, click.IpAddress?.ToString(), click.ClickSource, click.EventId, click.BotCategory, click.Origin),
            Is.EqualTo((id, "203.0.113.9", ClickSource.Email, "evt-2", BotCategory.Human, "203.0.113.0/24")));
        Assert.That(click.Enrichment, Is.EqualTo(ClickEnrichment.Unknown));
    }

    [Test]
    public void ARecordOfTheThirdFormat_LeftInASpoolByAnEarlierVersion_IsStillRead_WithoutAVariant()
    {
        // Version 3 had the enrichment but no A/B variant.
        var link = TestData.Link();
        var id = Guid.NewGuid();
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write((byte)3);
            writer.Write(id.ToByteArray());
            writer.Write(link.TrackingId.Value);
            writer.Write(TestData.Now.Ticks);
            writer.Write((byte)0);
            writer.Write(false);
            writer.Write(false);
            writer.Write(true);
            writer.Write("s-3");
            writer.Write(ClickSource.Direct);
            writer.Write(false);
            writer.Write(false);
            writer.Write(false);
            writer.Write((byte)BotCategory.Human);
            writer.Write(false);
            writer.Write(false);
            writer.Write(true);
            writer.Write("FR");
            writer.Write((byte)(DeviceType.Mobile + 1));
            writer.Write(true);
            writer.Write("Firefox");
            writer.Write(false);
        }

        var click = ClickSpool.Decode(Record(payload.ToArray()), out var torn).Single();

        Assert.That(torn, Is.False);
        Assert.That((click.Id, click.SessionId, click.Country, click.DeviceType, click.Browser, click.Os, click.Variant),
            Is.EqualTo((id, "s-3", "FR", DeviceType.Mobile, "Firefox", (string?)null, (string?)null)));
    }

    /// <summary>A spool record around a payload: <c>[u32 length][u32 crc32][payload]</c>.</summary>
    private static byte[] Record(byte[] body)
    {
        var record = new byte[8 + body.Length];
        BitConverter.TryWriteBytes(record.AsSpan(0, 4), body.Length);
        BitConverter.TryWriteBytes(record.AsSpan(4, 4), System.IO.Hashing.Crc32.HashToUInt32(body));
        body.CopyTo(record, 8);
        return record;
    }
}
