using LinkTracking.Application.ApiKeys;
using LinkTracking.Application.ApiKeys.Commands.CreateApiKey;
using LinkTracking.Application.ApiKeys.Commands.RevokeApiKey;
using LinkTracking.Application.ApiKeys.Queries.ListApiKeys;
using LinkTracking.WebApi.Infrastructure;
using LinkTracking.WebApi.OpenApi;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LinkTracking.WebApi.Controllers;

/// <summary>API key management (scope <c>admin</c>). Secrets are shown once, at creation, and stored only as hashes.</summary>
[Authorize(Policy = ScopePolicies.Admin)]
public sealed class ApiKeysController(ISender sender) : LinkTrackingControllerBase
{
    /// <summary>Creates a key; <c>key</c> in the answer is the secret, shown this once only.</summary>
    [HttpPost("api-keys")]
    [OperationId("createApiKey")]
    [ProducesResponseType<CreatedApiKeyDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<ActionResult<CreatedApiKeyDto>> Create(CreateApiKeyCommand command, CancellationToken cancellationToken)
    {
        var created = await sender.Send(command, cancellationToken);
        return StatusCode(StatusCodes.Status201Created, created);
    }

    /// <summary>Every key without its secret.</summary>
    [HttpGet("api-keys")]
    [OperationId("listApiKeys")]
    [ProducesResponseType<IReadOnlyList<ApiKeyDto>>(StatusCodes.Status200OK)]
    public async Task<ActionResult<IReadOnlyList<ApiKeyDto>>> List(CancellationToken cancellationToken) =>
        Ok(await sender.Send(new ListApiKeysQuery(), cancellationToken));

    /// <summary>Revokes a key: it is refused at once, on every instance.</summary>
    [HttpDelete("api-keys/{id}")]
    [OperationId("revokeApiKey")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Revoke(Guid id, CancellationToken cancellationToken)
    {
        await sender.Send(new RevokeApiKeyCommand(id), cancellationToken);
        return NoContent();
    }
}
