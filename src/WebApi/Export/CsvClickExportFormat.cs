using System.Buffers;
using System.Globalization;
using System.Text;
using LinkTracking.Application.Clicks.Queries.ExportClicks;

namespace LinkTracking.WebApi.Export;

/// <summary>
/// RFC 4180 CSV: a header row, CRLF line ends, a field quoted (quotes doubled) when it holds a comma, a quote, CR or LF.
/// Spreadsheet formula injection is neutralised: a field that starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab,
/// CR, LF or a space gets a leading <c>'</c>, so Excel, LibreOffice and Sheets show it as text instead of running it
/// (spreadsheets skip leading blanks and line breaks before they look for a formula; a user agent or referrer is
/// whatever the clicker sent). NDJSON is the lossless format; CSV is for people with spreadsheets.
/// Missing values are empty fields; <c>signals</c> is the stored comma-separated list.
/// </summary>
public sealed class CsvClickExportFormat : IClickExportFormat
{
    private static readonly byte[] Header = Encoding.UTF8.GetBytes(string.Join(',', ExportedClick.Columns) + "\r\n");

    private readonly StringBuilder _line = new(512);

    public string ContentType => "text/csv; charset=utf-8";

    public string FileExtension => "csv";

    public void WriteHeader(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(Header);
    }

    public void WriteRow(ExportedClick click, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(click);
        ArgumentNullException.ThrowIfNull(output);
        _line.Clear();
        Append(click.ClickId.ToString("D", CultureInfo.InvariantCulture)).Append(',');
        Append(click.TrackingId).Append(',');
        Append(ClickExportFormats.Timestamp(click.ClickedAt)).Append(',');
        Append(click.ClickSource).Append(',');
        Append(click.BotCategory).Append(',');
        Append(click.Signals.Count == 0 ? null : string.Join(',', click.Signals)).Append(',');
        Append(click.IpPartial).Append(',');
        Append(click.Country).Append(',');
        Append(click.DeviceType).Append(',');
        Append(click.Browser).Append(',');
        Append(click.Os).Append(',');
        Append(click.UserAgent).Append(',');
        Append(click.ReferrerUrl).Append(',');
        Append(click.SessionId).Append(',');
        Append(click.Variant).Append("\r\n");
        foreach (var chunk in _line.GetChunks())
        {
            Encoding.UTF8.GetBytes(chunk.Span, output);
        }
    }

    /// <summary>One field as it is written: guarded against formulas, then quoted when needed.</summary>
    public static string Field(string? value)
    {
        var builder = new StringBuilder();
        AppendField(builder, value);
        return builder.ToString();
    }

    private StringBuilder Append(string? value) => AppendField(_line, value);

    private static StringBuilder AppendField(StringBuilder builder, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return builder;
        }

        var guarded = StartsLikeAFormula(value);
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            return guarded ? builder.Append('\'').Append(value) : builder.Append(value);
        }

        builder.Append('"');
        if (guarded)
        {
            builder.Append('\'');
        }

        foreach (var c in value)
        {
            builder.Append(c);
            if (c == '"')
            {
                builder.Append('"');
            }
        }

        return builder.Append('"');
    }

    private static bool StartsLikeAFormula(string value) => value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\n' or ' ';
}
