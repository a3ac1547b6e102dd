using System.Security.Claims;
using LinkTracking.Application.Privacy.Commands.EraseClicks;
using LinkTracking.WebApi.Infrastructure;
using LinkTracking.WebApi.OpenApi;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LinkTracking.WebApi.Controllers;

/// <summary>GDPR erasure (scope <c>admin</c>).</summary>
[Authorize(Policy = ScopePolicies.Admin)]
public sealed class PrivacyController(ISender sender) : LinkTrackingControllerBase
{
    /// <summary>
    /// Deletes the clicks matching every given filter (at least one is required) and audit-logs who asked, when,
    /// with which filter, and how many rows went. Clicks still in the local journal are copied into the database first;
    /// only while the database is unreachable can some remain there, out of reach.
    /// </summary>
    [HttpDelete("privacy/clicks")]
    [OperationId("eraseClicks")]
    [ProducesResponseType<ErasureResultDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<ActionResult<ErasureResultDto>> EraseClicks(
        [FromQuery(Name = "ip_address")] string? ipAddress,
        [FromQuery(Name = "session_id")] string? sessionId,
        [FromQuery(Name = "application_id")] Guid? applicationId,
        [FromQuery(Name = "job_id")] Guid? jobId,
        CancellationToken cancellationToken)
    {
        var requestedBy = $"{User.FindFirstValue(ClaimTypes.Name)} ({User.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim)})";
        return await sender.Send(new EraseClicksCommand(ipAddress, sessionId, applicationId, jobId, requestedBy), cancellationToken);
    }
}
