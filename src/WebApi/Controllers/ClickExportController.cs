using LinkTracking.Application.Clicks.Queries.ExportClicks;
using LinkTracking.WebApi.Export;
using LinkTracking.WebApi.Infrastructure;
using LinkTracking.WebApi.OpenApi;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace LinkTracking.WebApi.Controllers;

/// <summary>The audit export of stored clicks, streamed.</summary>
[Authorize(Policy = ScopePolicies.AnalyticsRead)]
[EnableRateLimiting(RateLimitPolicies.AnalyticsPerKey)]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json", Description = "The database did not send the first row within Database:QueryTimeout; retry after Retry-After seconds.")]
public sealed class ClickExportController(ISender sender, TimeProvider timeProvider) : LinkTrackingControllerBase
{
    /// <summary>
    /// Every click matching the filters, oldest first (<c>clicked_at</c>, then <c>click_id</c>: a stable order, so an
    /// interrupted export can be resumed with <c>from</c> = the last <c>clicked_at</c> received, dropping the rows already
    /// seen). Human clicks only unless <c>include_bots=true</c> (which also lists the clicks on a package's hidden decoy
    /// link: always scanner clicks). <c>from</c> is inclusive, <c>to</c> exclusive (ISO 8601 instants; without an
    /// offset, UTC). Streamed as the rows are read, as an attachment <c>clicks-&lt;UTC time&gt;.csv|.ndjson</c>.
    /// Columns, in order: <c>click_id</c>, <c>tracking_id</c>, <c>clicked_at</c> (ISO 8601 UTC), <c>click_source</c>,
    /// <c>bot_category</c>, <c>signals</c> (CSV: the comma-separated names; NDJSON: an array of strings),
    /// <c>ip_partial</c> (host part masked: IPv4 /24, IPv6 /48), <c>country</c>, <c>device_type</c>, <c>browser</c>,
    /// <c>os</c> (worked out at ingest: ISO 3166 country from DB-IP Lite, device type <c>desktop</c>/<c>mobile</c>/<c>tablet</c>/<c>bot</c>/<c>other</c>,
    /// browser and OS families from uap-core; empty in CSV and null in NDJSON when unknown),
    /// <c>user_agent</c>, <c>referrer_url</c>, <c>session_id</c>. CSV is RFC 4180 with a header row and CRLF line ends;
    /// a field starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab, CR, LF or a space is prefixed with <c>'</c> so spreadsheets
    /// do not run it as a formula (NDJSON carries the values unchanged). A failure after the first row aborts the
    /// connection, so an export that arrives complete is complete.
    /// </summary>
    [HttpGet("clicks/export")]
    [OperationId("exportClicks")]
    [ProducesResponseType(typeof(string), StatusCodes.Status200OK, "text/csv", "application/x-ndjson")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IActionResult> Export(
        [FromQuery(Name = "format")] string? format = ExportFormats.Csv,
        [FromQuery(Name = "tracking_id")] string? trackingId = null,
        [FromQuery(Name = "job_id")] Guid? jobId = null,
        [FromQuery(Name = "application_id")] Guid? applicationId = null,
        [FromQuery(Name = "from"), ModelBinder(typeof(UtcInstantModelBinder))] DateTimeOffset? from = null,
        [FromQuery(Name = "to"), ModelBinder(typeof(UtcInstantModelBinder))] DateTimeOffset? to = null,
        [FromQuery(Name = "include_bots")] bool includeBots = false,
        CancellationToken cancellationToken = default)
    {
        var export = await sender.Send(new ExportClicksQuery(format, trackingId, jobId, applicationId, from, to, includeBots), cancellationToken);
        return new ClickExportResult(export, timeProvider.GetUtcNow());
    }
}
