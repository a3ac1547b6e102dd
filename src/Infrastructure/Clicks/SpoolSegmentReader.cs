using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Infrastructure.Clicks;

/// <summary>
/// Streams the records of one spool segment in order, a chunk at a time, so that replaying a segment costs memory
/// for one chunk whatever the segment's size. Stops at the first record that is short or fails its checksum (a torn
/// write from a crash, or corruption) and reports it through <see cref="Torn"/>; everything before it is read.
/// </summary>
public sealed class SpoolSegmentReader : IDisposable
{
    /// <summary>No click record comes near this (a click is at most a few KB); a larger length is corruption.</summary>
    public const int MaxRecordBytes = 1024 * 1024;

    private readonly Stream _stream;
    private readonly byte[] _header = new byte[ClickSpool.HeaderSize];
    private bool _ended;

    public SpoolSegmentReader(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
    }

    /// <summary>True once the reader has stopped at an incomplete or corrupt record.</summary>
    public bool Torn { get; private set; }

    /// <summary>Records read so far.</summary>
    public long RecordsRead { get; private set; }

    /// <summary>Adds up to <paramref name="max"/> clicks to <paramref name="into"/>; returns how many (0 at the end).</summary>
    public int ReadChunk(List<LinkClick> into, int max)
    {
        ArgumentNullException.ThrowIfNull(into);
        var read = 0;
        while (read < max && !_ended)
        {
            var click = ReadRecord();
            if (click is null)
            {
                _ended = true;
                break;
            }

            into.Add(click);
            read++;
        }

        RecordsRead += read;
        return read;
    }

    public void Dispose() => _stream.Dispose();

    private LinkClick? ReadRecord()
    {
        var remaining = _stream.Length - _stream.Position;
        if (remaining == 0)
        {
            return null;
        }

        if (remaining < ClickSpool.HeaderSize)
        {
            Torn = true;
            return null;
        }

        _stream.ReadExactly(_header);
        var length = BinaryPrimitives.ReadInt32LittleEndian(_header);
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(_header.AsSpan(4));
        if (length <= 0 || length > MaxRecordBytes || length > remaining - ClickSpool.HeaderSize)
        {
            Torn = true;
            return null;
        }

        var payload = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            _stream.ReadExactly(payload, 0, length);
            if (Crc32.HashToUInt32(payload.AsSpan(0, length)) != crc)
            {
                Torn = true;
                return null;
            }

            return ClickSpool.DecodeClick(payload, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload);
        }
    }
}
