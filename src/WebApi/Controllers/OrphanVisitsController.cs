using LinkTracking.Application.Clicks.Queries.ListOrphanVisits;
using LinkTracking.WebApi.Infrastructure;
using LinkTracking.WebApi.OpenApi;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace LinkTracking.WebApi.Controllers;

/// <summary>Requests for <c>/track/…</c> with unknown or malformed tracking ids.</summary>
public sealed class OrphanVisitsController(ISender sender) : LinkTrackingControllerBase
{
    /// <summary>
    /// Orphan visits of the last <c>days</c> UTC days (1 to 90, default 7): counts per day (every day, oldest first) and
    /// the latest 100 visits with time, path, masked IP, agent, referrer and <c>bot_category</c>. Recording is capped
    /// per masked address and per day (<c>OrphanVisits:MaxPerIpPerDay</c>, <c>OrphanVisits:MaxPerDay</c>), so the
    /// counts say how many were kept, not how many arrived.
    /// </summary>
    [HttpGet("orphan-visits")]
    [OperationId("listOrphanVisits")]
    [Authorize(Policy = ScopePolicies.AnalyticsRead)]
    [EnableRateLimiting(RateLimitPolicies.AnalyticsPerKey)]
    [ProducesResponseType<OrphanVisitsDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json", Description = "The database did not answer within Database:QueryTimeout; retry after Retry-After seconds.")]
    public async Task<ActionResult<OrphanVisitsDto>> List(
        [FromQuery(Name = "days")] int days = ListOrphanVisitsQuery.DefaultDays,
        CancellationToken cancellationToken = default) =>
        await sender.Send(new ListOrphanVisitsQuery(days), cancellationToken);
}
