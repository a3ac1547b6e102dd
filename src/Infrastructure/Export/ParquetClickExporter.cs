using System.Globalization;
using System.Threading.Channels;
using LinkTracking.Application.Clicks.Queries.ExportClicks;
using Microsoft.Extensions.Options;
using Parquet;
using Parquet.Schema;

namespace LinkTracking.Infrastructure.Export;

/// <summary>
/// Writes classified clicks (every category, bots included) as Hive-partitioned Parquet:
/// <c>DIR/date=YYYY-MM-DD/part-N.parquet</c>, one partition per UTC day, the columns of the CSV/NDJSON export
/// (<see cref="ExportedClick.Columns"/>; schema in docs/export.md). Streamed on two threads: one statement per day is read
/// straight into column buffers (<see cref="ClickColumnReader"/>) while the row group before is encoded and compressed;
/// two buffers of <see cref="ParquetExportOptions.RowGroupSize"/> rows go back and forth between them, so at most two
/// row groups are held in memory. A day is written to a hidden staging directory and then swapped in, so a reader sees
/// a day's old partition or its new one, never half of one; a day without clicks gets an empty partition directory, so
/// an absent partition means "not exported yet" (the daily job relies on that).
/// </summary>
public sealed class ParquetClickExporter(ClickColumnReader reader, IOptions<ParquetExportOptions> options)
{
    /// <summary>The file schema, in the order of <see cref="ExportedClick.Columns"/>.</summary>
    public static ParquetSchema Schema => ClickColumns.Schema;

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
        var settings = options.Value;
        var free = Channel.CreateBounded<ClickColumns>(2);
        free.Writer.TryWrite(new ClickColumns(settings.RowGroupSize));
        free.Writer.TryWrite(new ClickColumns(settings.RowGroupSize));
        var chunks = Channel.CreateUnbounded<Chunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Factory.StartNew(() => ReadAsync(from, to, free.Reader, chunks.Writer, stop.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        long rows = 0, files = 0;
        DayWriter? day = null;
        try
        {
            await foreach (var chunk in chunks.Reader.ReadAllAsync(stop.Token))
            {
                day ??= new DayWriter(chunk.Day, directory, settings);
                if (chunk.Columns.Count > 0)
                {
                    await day.WriteAsync(chunk.Columns, stop.Token);
                }

                free.Writer.TryWrite(chunk.Columns);
                if (chunk.EndOfDay)
                {
                    var done = await day.CompleteAsync();
                    day = null;
                    rows += done.Rows;
                    files += done.Files;
                    progress?.Invoke(done);
                }
            }

            // The reader stops early only when it failed: its exception is the export's.
            await producer;
        }
        catch
        {
            await stop.CancelAsync();
            try
            {
                await producer;
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                // Already failing: the first failure is the one reported.
            }

            if (day is not null)
            {
                await day.DisposeAsync();
            }

            throw;
        }

        return new ParquetExportSummary(to.DayNumber - from.DayNumber, rows, files);
    }

    // The reading thread: each day's rows into the free buffers, each full buffer (and each day's last) to the writer.
    private async Task ReadAsync(DateOnly from, DateOnly to, ChannelReader<ClickColumns> free, ChannelWriter<Chunk> chunks, CancellationToken cancellationToken)
    {
        try
        {
            for (var day = from; day < to; day = day.AddDays(1))
            {
                var start = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
                var current = day;
                var last = await reader.ReadAsync(start, start.AddDays(1), await free.ReadAsync(cancellationToken), async full =>
                {
                    await chunks.WriteAsync(new Chunk(current, full, EndOfDay: false), cancellationToken);
                    return await free.ReadAsync(cancellationToken);
                }, cancellationToken);
                await chunks.WriteAsync(new Chunk(day, last, EndOfDay: true), cancellationToken);
            }
        }
        finally
        {
            chunks.TryComplete();
        }
    }

    private sealed record Chunk(DateOnly Day, ClickColumns Columns, bool EndOfDay);

    /// <summary>One day's partition being written: its staging directory, the current file, and the swap at the end.</summary>
    private sealed class DayWriter : IAsyncDisposable
    {
        private readonly DateOnly _day;
        private readonly string _directory;
        private readonly string _staging;
        private readonly ParquetExportOptions _settings;
        private readonly ParquetOptions _parquet;
        private FileStream? _file;
        private ParquetWriter? _writer;
        private long _rows;
        private long _rowsInFile;
        private int _files;

        public DayWriter(DateOnly day, string directory, ParquetExportOptions settings)
        {
            _day = day;
            _directory = directory;
            _settings = settings;
            _parquet = settings.ParquetOptions();
            _staging = Path.Combine(directory, $".staging-{PartitionName(day)}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(_staging);
        }

        public async Task WriteAsync(ClickColumns columns, CancellationToken cancellationToken)
        {
            if (_writer is null || _rowsInFile >= _settings.RowsPerFile)
            {
                await CloseFileAsync();
                _file = new FileStream(Path.Combine(_staging, $"part-{_files++}.parquet"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: false);
                _writer = await ParquetWriter.CreateAsync(ClickColumns.Schema, _file, _parquet, append: false, cancellationToken);
                _rowsInFile = 0;
            }

            _rowsInFile += columns.Count;
            _rows += columns.Count;
            await columns.WriteAsync(_writer, cancellationToken);
        }

        /// <summary>Closes the last file and swaps the staging directory in for the day's partition.</summary>
        public async Task<ParquetDayExported> CompleteAsync()
        {
            try
            {
                await CloseFileAsync();
                var partition = Path.Combine(_directory, PartitionName(_day));
                var old = partition + $".old-{Guid.NewGuid():N}";
                if (Directory.Exists(partition))
                {
                    Directory.Move(partition, old);
                }

                Directory.Move(_staging, partition);
                if (Directory.Exists(old))
                {
                    Directory.Delete(old, recursive: true);
                }

                return new ParquetDayExported(_day, _rows, _files);
            }
            catch
            {
                await DisposeAsync();
                throw;
            }
        }

        /// <summary>Leaves nothing of the day behind unless it was completed.</summary>
        public async ValueTask DisposeAsync()
        {
            await CloseFileAsync();
            if (Directory.Exists(_staging))
            {
                Directory.Delete(_staging, recursive: true);
            }
        }

        private async Task CloseFileAsync()
        {
            var (writer, file) = (_writer, _file);
            (_writer, _file) = (null, null);
            if (writer is not null)
            {
                await writer.DisposeAsync();
            }

            if (file is not null)
            {
                await file.DisposeAsync();
            }
        }
    }
}

/// <summary>One day written: its rows and files.</summary>
public sealed record ParquetDayExported(DateOnly Day, long Rows, int Files);

/// <summary>A whole export: days, rows and files written.</summary>
public sealed record ParquetExportSummary(int Days, long Rows, long Files);
