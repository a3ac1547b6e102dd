using System.Buffers;
using LinkTracking.Application.Clicks.Queries.ExportClicks;

namespace LinkTracking.WebApi.Export;

/// <summary>How the audit export is written in one format: a header (maybe empty), then one row per click.</summary>
public interface IClickExportFormat
{
    /// <summary>The <c>Content-Type</c> of the response.</summary>
    string ContentType { get; }

    /// <summary>The file name extension of the attachment, without the dot.</summary>
    string FileExtension { get; }

    void WriteHeader(IBufferWriter<byte> output);

    void WriteRow(ExportedClick click, IBufferWriter<byte> output);
}

/// <summary>The writer of each format of <see cref="ExportFormats"/>.</summary>
public static class ClickExportFormats
{
    public static IClickExportFormat For(string format) => format switch
    {
        ExportFormats.Csv => new CsvClickExportFormat(),
        ExportFormats.Ndjson => new NdjsonClickExportFormat(),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Not an export format."),
    };

    /// <summary>The wire form of a click time: ISO 8601 UTC with <c>Z</c>, fractions only when there are any (as the JSON API writes times).</summary>
    public static string Timestamp(DateTime value) =>
        DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
