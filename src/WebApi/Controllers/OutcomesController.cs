using LinkTracking.Application.Outcomes.Commands.DeleteOutcome;
using LinkTracking.Application.Outcomes.Commands.RecordOutcome;
using LinkTracking.Application.Outcomes.Common;
using LinkTracking.Application.Outcomes.Queries.GetApplicationJourney;
using LinkTracking.Application.Outcomes.Queries.ListOutcomes;
using LinkTracking.WebApi.Infrastructure;
using LinkTracking.WebApi.OpenApi;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace LinkTracking.WebApi.Controllers;

/// <summary>
/// What happened to an application after it was sent: <c>applied</c>, <c>viewed</c>, <c>replied</c>, <c>screening</c>,
/// <c>interview</c>, <c>offer</c>, <c>hired</c>, <c>rejected</c>, <c>withdrawn</c>, <c>no_response</c>. Its current
/// stage is its latest outcome by <c>occurred_at</c>. Erasing an application's clicks leaves its outcomes alone.
/// </summary>
public sealed class OutcomesController(ISender sender) : LinkTrackingControllerBase
{
    /// <summary>
    /// Records an outcome: 201. <c>occurred_at</c> defaults to now, may be in the past (a backfill), not more than 5 minutes
    /// in the future; a retry with an <c>event_id</c> already recorded for the application answers 200 with the first
    /// record. Sends the webhook event <c>application.outcome</c>.
    /// </summary>
    [HttpPost("applications/{applicationId}/outcomes")]
    [OperationId("recordOutcome")]
    [Authorize(Policy = ScopePolicies.LinksWrite)]
    [ProducesResponseType<OutcomeDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<OutcomeDto>(StatusCodes.Status200OK, Description = "A retry: the outcome first recorded with this event_id.")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<ActionResult<OutcomeDto>> Record(Guid applicationId, OutcomeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var recorded = await sender.Send(
            new RecordOutcomeCommand(applicationId, request.Stage, request.OccurredAt, request.EventId, request.Note), cancellationToken);
        return recorded.Created
            ? Created($"{Request.PathBase}/api/v1/link-tracking/applications/{applicationId}/outcomes", recorded.Outcome)
            : Ok(recorded.Outcome);
    }

    /// <summary>An application's outcomes, oldest first by <c>occurred_at</c> (at most 1000).</summary>
    [HttpGet("applications/{applicationId}/outcomes")]
    [OperationId("listOutcomes")]
    [Authorize(Policy = ScopePolicies.AnalyticsRead)]
    [ProducesResponseType<IReadOnlyList<OutcomeDto>>(StatusCodes.Status200OK)]
    public async Task<ActionResult<IReadOnlyList<OutcomeDto>>> List(Guid applicationId, CancellationToken cancellationToken) =>
        Ok(await sender.Send(new ListOutcomesQuery(applicationId), cancellationToken));

    /// <summary>
    /// The application's journey, oldest first: when it was sent, every click on its links (people and machines, with
    /// the classification's category and signals; the newest 1000 when there are more, then <c>clicks_truncated</c>), every
    /// outcome; its current stage and the milestones. 404 when the application has neither links nor outcomes.
    /// </summary>
    [HttpGet("applications/{applicationId}/journey")]
    [OperationId("getApplicationJourney")]
    [Authorize(Policy = ScopePolicies.AnalyticsRead)]
    [EnableRateLimiting(RateLimitPolicies.AnalyticsPerKey)]
    [ProducesResponseType<ApplicationJourneyDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<ActionResult<ApplicationJourneyDto>> Journey(Guid applicationId, CancellationToken cancellationToken) =>
        await sender.Send(new GetApplicationJourneyQuery(applicationId), cancellationToken);

    /// <summary>Deletes one outcome (reported by mistake): 204.</summary>
    [HttpDelete("applications/{applicationId}/outcomes/{id}")]
    [OperationId("deleteOutcome")]
    [Authorize(Policy = ScopePolicies.LinksWrite)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Delete(Guid applicationId, Guid id, CancellationToken cancellationToken)
    {
        await sender.Send(new DeleteOutcomeCommand(applicationId, id), cancellationToken);
        return NoContent();
    }
}

/// <summary>Body of the outcome route.</summary>
/// <param name="Stage">applied, viewed, replied, screening, interview, offer, hired, rejected, withdrawn or no_response.</param>
/// <param name="OccurredAt">When it happened (default: now); not more than 5 minutes in the future.</param>
/// <param name="EventId">Your id of the report (1 to 100 characters): a retry with it answers the first record.</param>
/// <param name="Note">Free text, at most 1000 characters.</param>
public sealed record OutcomeRequest(string? Stage, DateTimeOffset? OccurredAt = null, string? EventId = null, string? Note = null);
