using LinkTracking.Application.Clicks.Queries.ExportClicks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace LinkTracking.WebApi.Export;

/// <summary>
/// Writes the export to the response body as the rows come from the database, flushing every
/// <see cref="FlushThreshold"/> bytes: memory stays at one buffer whatever the row count, and a client that reads slowly
/// slows the database read down (the response pipe pushes back) instead of piling rows up.
/// The first row is read before the status line is sent, so a database that is down or too slow still answers with a
/// problem document (503); a failure later can only cut the response short, and does: the connection is aborted, so a
/// client never takes a truncated export for a complete one.
/// </summary>
public sealed class ClickExportResult(ClickExport export, DateTimeOffset now) : IActionResult
{
    public const int FlushThreshold = 32 * 1024;

    /// <summary>Rows between flushes when the body writer cannot tell how much it holds.</summary>
    public const int FlushEveryRows = 100;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var cancellationToken = http.RequestAborted;
        var format = ClickExportFormats.For(export.Format);

        await using var rows = export.Clicks.GetAsyncEnumerator(cancellationToken);
        var more = await rows.MoveNextAsync();

        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = format.ContentType;
        response.Headers.CacheControl = "no-store";
        response.Headers[HeaderNames.ContentDisposition] = $"attachment; filename=\"{FileName(now, format.FileExtension)}\"";
        var output = response.BodyWriter;
        try
        {
            format.WriteHeader(output);
            var rowsSinceFlush = 0;
            while (more)
            {
                format.WriteRow(rows.Current, output);
                rowsSinceFlush++;
                if (output.CanGetUnflushedBytes ? output.UnflushedBytes >= FlushThreshold : rowsSinceFlush >= FlushEveryRows)
                {
                    await output.FlushAsync(cancellationToken);
                    rowsSinceFlush = 0;
                }

                more = await rows.MoveNextAsync();
            }

            await output.FlushAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            http.Abort();
            throw;
        }
    }

    /// <summary><c>clicks-20250727T150000Z.csv</c>: the UTC time of the export, no characters a file system refuses.</summary>
    public static string FileName(DateTimeOffset now, string extension) =>
        $"clicks-{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture)}.{extension}";
}
