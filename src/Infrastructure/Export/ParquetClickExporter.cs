using System.Globalization;
using LinkTracking.Application.Clicks.Queries.ExportClicks;
using LinkTracking.Application.Common.Interfaces;
using Microsoft.Extensions.Options;
using Parquet;
using Parquet.Schema;

namespace LinkTracking.Infrastructure.Export;

/// <summary>
/// Writes classified clicks (every category, bots included) as Hive-partitioned Parquet:
/// <c>DIR/date=YYYY-MM-DD/part-N.parquet</c>, one partition per UTC day, the columns of the CSV/NDJSON export
/// (<see cref="ExportedClick.Columns"/>; schema in docs/export.md). Streamed: one statement per day read row by row
/// (<see cref="IClickExport"/>), at most one row group (<see cref="ParquetExportOptions.RowGroupSize"/> rows) held in
/// memory. A day is written to a hidden staging directory and then swapped in, so a reader sees a day's old partition or
/// its new one, never half of one; a day without clicks gets an empty partition directory, so an absent partition means
/// "not exported yet" (the daily job relies on that).
/// </summary>
public sealed class ParquetClickExporter(IClickExport export, IOptions<ParquetExportOptions> options)
{
    private static readonly DataField<string> ClickId = new("click_id");
    private static readonly DataField<string> TrackingId = new("tracking_id");
    private static readonly DateTimeDataField ClickedAt = new("clicked_at", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: false);
    private static readonly DataField<string> ClickSource = new("click_source");
    private static readonly DataField<string> BotCategory = new("bot_category");
    private static readonly DataField<string> Signals = new("signals");
    private static readonly DataField<string> IpPartial = new("ip_partial");
    private static readonly DataField<string> Country = new("country");
    private static readonly DataField<string> DeviceType = new("device_type");
    private static readonly DataField<string> Browser = new("browser");
    private static readonly DataField<string> Os = new("os");
    private static readonly DataField<string> UserAgent = new("user_agent");
    private static readonly DataField<string> ReferrerUrl = new("referrer_url");
    private static readonly DataField<string> SessionId = new("session_id");
    private static readonly DataField<string> Variant = new("variant");

    /// <summary>The file schema, in the order of <see cref="ExportedClick.Columns"/>.</summary>
    public static ParquetSchema Schema { get; } = new(
        ClickId, TrackingId, ClickedAt, ClickSource, BotCategory, Signals, IpPartial, Country, DeviceType, Browser, Os, UserAgent, ReferrerUrl, SessionId, Variant);

    /// <summary>The partition directory of <paramref name="day"/>: <c>date=YYYY-MM-DD</c>.</summary>
    public static string PartitionName(DateOnly day) => "date=" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// Exports the UTC days <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive) into
    /// <paramref name="directory"/>, replacing those days' partitions. <paramref name="progress"/> hears of each day done.
    /// </summary>
    public async Task<ParquetExportSummary> ExportAsync(DateOnly from, DateOnly to, string directory, Action<ParquetDayExported>? progress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (to <= from)
        {
            throw new ArgumentException("--to must be later than --from (from is inclusive, to exclusive).", nameof(to));
        }

        Directory.CreateDirectory(directory);
        long rows = 0, files = 0;
        for (var day = from; day < to; day = day.AddDays(1))
        {
            var done = await ExportDayAsync(day, directory, cancellationToken);
            rows += done.Rows;
            files += done.Files;
            progress?.Invoke(done);
        }

        return new ParquetExportSummary(to.DayNumber - from.DayNumber, rows, files);
    }

    private async Task<ParquetDayExported> ExportDayAsync(DateOnly day, string directory, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var staging = Path.Combine(directory, $".staging-{PartitionName(day)}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var start = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var filter = new ClickExportFilter(From: start, To: start.AddDays(1), IncludeBots: true);
            var batch = new RowGroupBuffer(settings.RowGroupSize);
            var parquet = new ParquetOptions { CompressionMethod = settings.CompressionMethodOrNull() ?? CompressionMethod.Zstd };
            long rows = 0;
            var files = 0;
            FileStream? file = null;
            ParquetWriter? writer = null;
            long rowsInFile = 0;
            try
            {
                await foreach (var row in export.ReadAsync(filter, cancellationToken))
                {
                    batch.Add(ExportClicksQueryHandler.ToExported(row));
                    if (batch.Count < settings.RowGroupSize)
                    {
                        continue;
                    }

                    if (writer is null || rowsInFile >= settings.RowsPerFile)
                    {
                        (file, writer) = await NextFileAsync(file, writer, staging, files++, parquet, cancellationToken);
                        rowsInFile = 0;
                    }

                    rowsInFile += batch.Count;
                    rows += batch.Count;
                    await batch.WriteAsync(writer, cancellationToken);
                }

                if (batch.Count > 0)
                {
                    if (writer is null || rowsInFile >= settings.RowsPerFile)
                    {
                        (file, writer) = await NextFileAsync(file, writer, staging, files++, parquet, cancellationToken);
                    }

                    rows += batch.Count;
                    await batch.WriteAsync(writer, cancellationToken);
                }
            }
            finally
            {
                await CloseAsync(file, writer);
            }

            var partition = Path.Combine(directory, PartitionName(day));
            var old = partition + $".old-{Guid.NewGuid():N}";
            if (Directory.Exists(partition))
            {
                Directory.Move(partition, old);
            }

            Directory.Move(staging, partition);
            if (Directory.Exists(old))
            {
                Directory.Delete(old, recursive: true);
            }

            return new ParquetDayExported(day, rows, files);
        }
        catch
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            throw;
        }
    }

    private static async Task<(FileStream, ParquetWriter)> NextFileAsync(FileStream? file, ParquetWriter? writer, string staging, int part, ParquetOptions parquet, CancellationToken cancellationToken)
    {
        await CloseAsync(file, writer);
        var next = new FileStream(Path.Combine(staging, $"part-{part}.parquet"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: true);
        return (next, await ParquetWriter.CreateAsync(Schema, next, parquet, append: false, cancellationToken));
    }

    private static async Task CloseAsync(FileStream? file, ParquetWriter? writer)
    {
        if (writer is not null)
        {
            await writer.DisposeAsync();
        }

        if (file is not null)
        {
            await file.DisposeAsync();
        }
    }

    /// <summary>One row group's columns, filled row by row and written column by column.</summary>
    private sealed class RowGroupBuffer(int capacity)
    {
        private readonly string[] _clickId = new string[capacity];
        private readonly string[] _trackingId = new string[capacity];
        private readonly DateTime[] _clickedAt = new DateTime[capacity];
        private readonly string[] _clickSource = new string[capacity];
        private readonly string[] _botCategory = new string[capacity];
        private readonly string?[] _signals = new string?[capacity];
        private readonly string?[] _ipPartial = new string?[capacity];
        private readonly string?[] _country = new string?[capacity];
        private readonly string?[] _deviceType = new string?[capacity];
        private readonly string?[] _browser = new string?[capacity];
        private readonly string?[] _os = new string?[capacity];
        private readonly string?[] _userAgent = new string?[capacity];
        private readonly string?[] _referrerUrl = new string?[capacity];
        private readonly string?[] _sessionId = new string?[capacity];
        private readonly string?[] _variant = new string?[capacity];

        public int Count { get; private set; }

        public void Add(ExportedClick click)
        {
            var i = Count++;
            _clickId[i] = click.ClickId.ToString("D", CultureInfo.InvariantCulture);
            _trackingId[i] = click.TrackingId;
            _clickedAt[i] = click.ClickedAt;
            _clickSource[i] = click.ClickSource;
            _botCategory[i] = click.BotCategory;
            _signals[i] = click.Signals.Count == 0 ? null : string.Join(',', click.Signals);
            _ipPartial[i] = click.IpPartial;
            _country[i] = click.Country;
            _deviceType[i] = click.DeviceType;
            _browser[i] = click.Browser;
            _os[i] = click.Os;
            _userAgent[i] = click.UserAgent;
            _referrerUrl[i] = click.ReferrerUrl;
            _sessionId[i] = click.SessionId;
            _variant[i] = click.Variant;
        }

        public async Task WriteAsync(ParquetWriter writer, CancellationToken cancellationToken)
        {
            var n = Count;
            using (var group = writer.CreateRowGroup())
            {
                await group.WriteAsync(ClickId, new ArraySegment<string>(_clickId, 0, n));
                await group.WriteAsync(TrackingId, new ArraySegment<string>(_trackingId, 0, n));
                await group.WriteAsync<DateTime>(ClickedAt, _clickedAt.AsMemory(0, n), cancellationToken: cancellationToken);
                await group.WriteAsync(ClickSource, new ArraySegment<string>(_clickSource, 0, n));
                await group.WriteAsync(BotCategory, new ArraySegment<string>(_botCategory, 0, n));
                await group.WriteAsync(Signals, new ArraySegment<string>(_signals!, 0, n));
                await group.WriteAsync(IpPartial, new ArraySegment<string>(_ipPartial!, 0, n));
                await group.WriteAsync(Country, new ArraySegment<string>(_country!, 0, n));
                await group.WriteAsync(DeviceType, new ArraySegment<string>(_deviceType!, 0, n));
                await group.WriteAsync(Browser, new ArraySegment<string>(_browser!, 0, n));
                await group.WriteAsync(Os, new ArraySegment<string>(_os!, 0, n));
                await group.WriteAsync(UserAgent, new ArraySegment<string>(_userAgent!, 0, n));
                await group.WriteAsync(ReferrerUrl, new ArraySegment<string>(_referrerUrl!, 0, n));
                await group.WriteAsync(SessionId, new ArraySegment<string>(_sessionId!, 0, n));
                await group.WriteAsync(Variant, new ArraySegment<string>(_variant!, 0, n));
            }

            Count = 0;
        }
    }
}

/// <summary>One day written: its rows and files.</summary>
public sealed record ParquetDayExported(DateOnly Day, long Rows, int Files);

/// <summary>A whole export: days, rows and files written.</summary>
public sealed record ParquetExportSummary(int Days, long Rows, long Files);
