using LinkTracking.Application.Analytics.Queries.GetApplicationLinkSummary;
using LinkTracking.Application.Analytics.Queries.GetJobLinkSummary;
using LinkTracking.Application.Analytics.Queries.GetLinkAnalytics;
using LinkTracking.Application.Analytics.Queries.GetLinkPerformanceReport;
using LinkTracking.WebApi.Infrastructure;
using LinkTracking.WebApi.OpenApi;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace LinkTracking.WebApi.Controllers;

/// <summary>
/// Who clicked what, when, from where. Human clicks only unless <c>include_bots=true</c>. Periods are whole days
/// ending today (<c>days=1</c> is today) of the time zone <c>tz</c> (an IANA name, default UTC; an unknown name is a 400
/// naming <c>tz</c>), which also sets the days of the timelines and the <c>hours</c> and <c>weekdays</c> breakdowns.
/// Every answer carries the breakdowns <c>countries</c>, <c>devices</c>, <c>browsers</c>, <c>operating_systems</c>
/// (10 most frequent + <c>other</c>), <c>hours</c> (24, local hour 0 first) and <c>weekdays</c> (7, Monday first).
/// Figures come from hourly rollups kept with the clicks; in zones with a :30 or :45 offset an hour's clicks count in
/// the local hour where that UTC hour begins.
/// </summary>
[Authorize(Policy = ScopePolicies.AnalyticsRead)]
[EnableRateLimiting(RateLimitPolicies.AnalyticsPerKey)]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json", Description = "The database did not answer within Database:QueryTimeout; retry after Retry-After seconds.")]
public sealed class AnalyticsController(ISender sender) : LinkTrackingControllerBase
{
    /// <summary>Statistics, per-day timeline and the 10 newest clicks of one link over the last <c>days</c> days (1–365).</summary>
    [HttpGet("analytics/{trackingId}")]
    [OperationId("getLinkAnalytics")]
    [ProducesResponseType<LinkAnalyticsDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<LinkAnalyticsDto>> Link(
        string trackingId,
        [FromQuery(Name = "days")] int days = 30,
        [FromQuery(Name = "include_bots")] bool includeBots = false,
        [FromQuery(Name = "tz")] string? tz = null,
        CancellationToken cancellationToken = default) =>
        await sender.Send(new GetLinkAnalyticsQuery(trackingId, days, includeBots, tz), cancellationToken);

    /// <summary>All-time figures of a job's links, per link function.</summary>
    [HttpGet("jobs/{jobId}/summary")]
    [OperationId("getJobSummary")]
    [ProducesResponseType<JobLinkSummaryDto>(StatusCodes.Status200OK)]
    public async Task<ActionResult<JobLinkSummaryDto>> Job(
        Guid jobId,
        [FromQuery(Name = "include_bots")] bool includeBots = false,
        [FromQuery(Name = "tz")] string? tz = null,
        CancellationToken cancellationToken = default) =>
        await sender.Send(new GetJobLinkSummaryQuery(jobId, includeBots, tz), cancellationToken);

    /// <summary>All-time figures of an application's links, per link function.</summary>
    [HttpGet("applications/{applicationId}/summary")]
    [OperationId("getApplicationSummary")]
    [ProducesResponseType<ApplicationLinkSummaryDto>(StatusCodes.Status200OK)]
    public async Task<ActionResult<ApplicationLinkSummaryDto>> Application(
        Guid applicationId,
        [FromQuery(Name = "include_bots")] bool includeBots = false,
        [FromQuery(Name = "tz")] string? tz = null,
        CancellationToken cancellationToken = default) =>
        await sender.Send(new GetApplicationLinkSummaryQuery(applicationId, includeBots, tz), cancellationToken);

    /// <summary>Performance of all links over the last <c>days</c> days (1–365): totals, per function (most clicks first), per day.</summary>
    [HttpGet("report")]
    [OperationId("getReport")]
    [ProducesResponseType<LinkPerformanceReportDto>(StatusCodes.Status200OK)]
    public async Task<ActionResult<LinkPerformanceReportDto>> Report(
        [FromQuery(Name = "days")] int days = 30,
        [FromQuery(Name = "include_bots")] bool includeBots = false,
        [FromQuery(Name = "tz")] string? tz = null,
        CancellationToken cancellationToken = default) =>
        await sender.Send(new GetLinkPerformanceReportQuery(days, includeBots, tz), cancellationToken);
}
