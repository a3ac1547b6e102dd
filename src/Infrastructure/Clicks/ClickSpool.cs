using System.Buffers.Binary;
using System.IO.Hashing;
using System.Globalization;
using System.Net;
using System.Text;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.FileSystem;

namespace LinkTracking.Infrastructure.Clicks;

/// <summary>
/// An append-only, fsync'd local log of clicks on their way to the database: the journal of every click, or
/// (with database durability) the batches the database could not take.
/// <para>
/// Segments are files named by a growing sequence number; clicks are appended to the one open segment, which
/// is sealed when it reaches <see cref="MaxSegmentBytes"/> or when the mover takes it, whichever comes first — so a
/// backlog makes many bounded segments, never one huge one. Each record is <c>[u32 length][u32 crc32][payload]</c>,
/// little-endian; a reader (<see cref="SpoolSegmentReader"/>) streams a segment record by record and stops at the first
/// record that is short or fails its checksum (a torn write from a crash), keeping everything before it.
/// </para>
/// <para>
/// A segment's bytes are fsync'd at every append; its name is made durable too: the spool directory is synced
/// (<see cref="IDirectorySync"/>) after a segment is created — before the first click in it is acknowledged — and after
/// one is deleted, so a power cut can neither lose an acknowledged segment nor bring a moved one back.
/// </para>
/// </summary>
public sealed class ClickSpool : IDisposable
{
    public const string Extension = ".spool";
    public const string RejectedFileName = "rejected.spool";
    public const long DefaultMaxSegmentBytes = 16L * 1024 * 1024;
    internal const int HeaderSize = 8;
    /// <summary>
    /// Version 4 adds the A/B variant; version 3 added the enrichment (country, device type, browser, OS); version 2
    /// the category, the signals and the origin. Records of versions 1 to 3 (older spools) are still read, their
    /// enrichment unknown before 3, their variant null before 4.
    /// </summary>
    private const byte FormatVersion = 4;

    private readonly Lock _gate = new();
    private readonly string _directory;
    private FileStream? _active;
    private long _nextSequence;
    private readonly Dictionary<string, DateTime> _openedAt = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly IDirectorySync _directorySync;
    private long _pendingBytes;

    /// <param name="directory">Where the segments live (created 0700).</param>
    /// <param name="maxSegmentBytes">A segment is sealed once it holds this many bytes (one append may pass it).</param>
    /// <param name="timeProvider">Wall clock for the backlog's age; the system clock when null.</param>
    /// <param name="directorySync">Syncs the spool directory after a segment is created or deleted; the real disk's when null.</param>
    public ClickSpool(string directory, long maxSegmentBytes = DefaultMaxSegmentBytes, TimeProvider? timeProvider = null, IDirectorySync? directorySync = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSegmentBytes, 1);
        MaxSegmentBytes = maxSegmentBytes;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _directorySync = directorySync ?? DirectorySync.Instance;
        _directory = Path.GetFullPath(directory);
        // Clicks (addresses, user agents) pass through here: only the service's user may read them.
        _directorySync.CreateDirectory(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var existing = SegmentFiles();
        _nextSequence = existing.Count == 0 ? 1 : SequenceOf(existing[^1]) + 1;
        _pendingBytes = existing.Sum(f => new FileInfo(f).Length);
    }

    public string DirectoryPath => _directory;

    public long MaxSegmentBytes { get; }

    /// <summary>Bytes in segments not yet replayed.</summary>
    public long PendingBytes => Interlocked.Read(ref _pendingBytes);

    public bool HasPending => PendingBytes > 0;

    /// <summary>
    /// How long the oldest click not yet replayed has been waiting (the mover's lag): the age of the oldest segment
    /// (for one left by an earlier run, since its last write). Zero when nothing is pending.
    /// </summary>
    public TimeSpan BacklogAge
    {
        get
        {
            if (!HasPending)
            {
                return TimeSpan.Zero;
            }

            lock (_gate)
            {
                var oldest = SegmentFiles().FirstOrDefault();
                if (oldest is null)
                {
                    return TimeSpan.Zero;
                }

                var since = _openedAt.TryGetValue(oldest, out var opened) ? opened : File.GetLastWriteTimeUtc(oldest);
                var age = _timeProvider.GetUtcNow().UtcDateTime - since;
                return age > TimeSpan.Zero ? age : TimeSpan.Zero;
            }
        }
    }

    /// <summary>
    /// Appends the clicks and fsyncs before returning: once this returns, they survive a crash. A segment that has
    /// reached <see cref="MaxSegmentBytes"/> is sealed, so the next append starts a new one.
    /// </summary>
    public void Append(IReadOnlyList<LinkClick> clicks)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        var buffer = Encode(clicks);
        long started;
        lock (_gate)
        {
            started = System.Diagnostics.Stopwatch.GetTimestamp();
            _active ??= OpenNewSegment();
            _active.Write(buffer);
            _active.Flush(flushToDisk: true);
            if (_active.Position >= MaxSegmentBytes)
            {
                _active.Dispose();
                _active = null;
            }
        }

        Interlocked.Add(ref _pendingBytes, buffer.Length);
        Synced?.Invoke(clicks.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started));
    }

    /// <summary>After each append: how many clicks one write and fsync carried, and how long they took (for metrics).</summary>
    public event Action<int, TimeSpan>? Synced;

    /// <summary>Closes the open segment (later appends start a new one) and lists every sealed segment, oldest first.</summary>
    public IReadOnlyList<string> SealSegments()
    {
        lock (_gate)
        {
            _active?.Dispose();
            _active = null;
            return SegmentFiles();
        }
    }

    /// <summary>Removes a replayed segment, durably: a power cut afterwards does not bring it back to be moved again.</summary>
    public void Delete(string segment)
    {
        var length = new FileInfo(segment).Length;
        File.Delete(segment);
        Interlocked.Add(ref _pendingBytes, -length);
        lock (_gate)
        {
            _openedAt.Remove(segment);
        }

        _directorySync.Sync(_directory);
    }

    /// <summary>Opens a sealed segment for streaming, record by record; memory does not depend on its size.</summary>
    public static SpoolSegmentReader OpenSegment(string path) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 64 * 1024));

    /// <summary>Keeps clicks the database refuses outright (never expected) for an operator, instead of dropping them.</summary>
    public void Reject(IReadOnlyList<LinkClick> clicks)
    {
        var buffer = Encode(clicks);
        lock (_gate)
        {
            var path = Path.Combine(_directory, RejectedFileName);
            var created = !File.Exists(path);
            using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
            if (created)
            {
                _directorySync.Sync(_directory);
            }

            file.Write(buffer);
            file.Flush(flushToDisk: true);
        }
    }

    /// <summary>Decodes an in-memory run of records (a test's or a tool's; the mover streams with <see cref="OpenSegment"/>).</summary>
    public static IReadOnlyList<LinkClick> Decode(byte[] bytes, out bool torn)
    {
        using var reader = new SpoolSegmentReader(new MemoryStream(bytes, writable: false));
        var clicks = new List<LinkClick>();
        while (reader.ReadChunk(clicks, int.MaxValue) > 0)
        {
        }

        torn = reader.Torn;
        return clicks;
    }

    public static byte[] Encode(IReadOnlyList<LinkClick> clicks)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        using var output = new MemoryStream(clicks.Count * 256);
        using var payload = new MemoryStream(512);
        using var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true);
        Span<byte> header = stackalloc byte[HeaderSize];
        foreach (var click in clicks)
        {
            payload.SetLength(0);
            EncodeClick(writer, click);
            writer.Flush();
            var body = payload.GetBuffer().AsSpan(0, (int)payload.Length);
            BinaryPrimitives.WriteInt32LittleEndian(header, body.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Crc32.HashToUInt32(body));
            output.Write(header);
            output.Write(body);
        }

        return output.ToArray();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _active?.Dispose();
            _active = null;
        }
    }

    private static void EncodeClick(BinaryWriter writer, LinkClick click)
    {
        writer.Write(FormatVersion);
        writer.Write(click.Id.ToByteArray());
        writer.Write(click.TrackingId.Value);
        writer.Write(click.ClickedAt.Ticks);
        var ip = click.IpAddress?.GetAddressBytes();
        writer.Write((byte)(ip?.Length ?? 0));
        if (ip is not null)
        {
            writer.Write(ip);
        }

        WriteNullable(writer, click.UserAgent);
        WriteNullable(writer, click.ReferrerUrl);
        WriteNullable(writer, click.SessionId);
        writer.Write(click.ClickSource);
        WriteNullable(writer, click.Metadata);
        WriteNullable(writer, click.EventId);
        WriteNullable(writer, click.BotReason);
        writer.Write((byte)click.BotCategory);
        WriteNullable(writer, click.Signals);
        WriteNullable(writer, click.Origin);
        WriteNullable(writer, click.Country);
        // 0: unknown, else the device type + 1.
        writer.Write(click.DeviceType is { } device ? (byte)((int)device + 1) : (byte)0);
        WriteNullable(writer, click.Browser);
        WriteNullable(writer, click.Os);
        WriteNullable(writer, click.Variant);
    }

    internal static LinkClick DecodeClick(byte[] payload, int length)
    {
        using var stream = new MemoryStream(payload, 0, length, writable: false);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        var version = reader.ReadByte();
        if (version is not (1 or 2 or 3 or FormatVersion))
        {
            throw new InvalidDataException($"Unknown spool record version {version}.");
        }

        var id = new Guid(reader.ReadBytes(16));
        var trackingId = TrackingId.Parse(reader.ReadString());
        var clickedAt = new DateTime(reader.ReadInt64(), DateTimeKind.Utc);
        var ipLength = reader.ReadByte();
        var ip = ipLength == 0 ? null : new IPAddress(reader.ReadBytes(ipLength));
        var userAgent = ReadNullable(reader);
        var referrer = ReadNullable(reader);
        var session = ReadNullable(reader);
        var source = reader.ReadString();
        var metadata = ReadNullable(reader);
        var eventId = ReadNullable(reader);
        var botReason = ReadNullable(reader);
        ClickClassification? classification;
        string? origin = null;
        if (version == 1)
        {
            // Before categories a bot had only a reason; its category is the nearest one.
            classification = botReason is null ? null : ClickClassification.Bot(botReason == ClickSignals.HeadRequest ? BotCategory.Scanner : BotCategory.Crawler, botReason);
        }
        else
        {
            var category = (BotCategory)reader.ReadByte();
            classification = new ClickClassification(category, ClickSignals.Split(ReadNullable(reader)));
            origin = ReadNullable(reader);
        }

        var enrichment = ClickEnrichment.Unknown;
        if (version >= 3)
        {
            var country = ReadNullable(reader);
            var device = reader.ReadByte();
            enrichment = new ClickEnrichment(country, device == 0 ? null : (DeviceType)(device - 1), ReadNullable(reader), ReadNullable(reader));
        }

        var variant = version >= 4 ? ReadNullable(reader) : null;
        return LinkClick.Restore(id, new ClickDetails(trackingId, clickedAt, ip, userAgent, referrer, session, source, metadata, eventId, classification)
        {
            Origin = origin,
            Enrichment = enrichment,
            Variant = variant,
        });
    }

    private static void WriteNullable(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    private static string? ReadNullable(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

    private FileStream OpenNewSegment()
    {
        var path = Path.Combine(_directory, _nextSequence.ToString("D12", CultureInfo.InvariantCulture) + Extension);
        _nextSequence++;
        _openedAt[path] = _timeProvider.GetUtcNow().UtcDateTime;
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.Read, BufferSize = 1 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var segment = new FileStream(path, options);
        try
        {
            // The new name is durable before the first click written into it is acknowledged.
            _directorySync.Sync(_directory);
        }
        catch
        {
            segment.Dispose();
            throw;
        }

        return segment;
    }

    private List<string> SegmentFiles() =>
        Directory.EnumerateFiles(_directory, "*" + Extension)
            .Where(f => !Path.GetFileName(f).Equals(RejectedFileName, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static long SequenceOf(string path) =>
        long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
}
