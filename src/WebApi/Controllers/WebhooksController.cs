using LinkTracking.Application.Webhooks;
using LinkTracking.Application.Webhooks.Commands.CreateWebhook;
using LinkTracking.Application.Webhooks.Commands.DeleteWebhook;
using LinkTracking.Application.Webhooks.Commands.RedeliverWebhook;
using LinkTracking.Application.Webhooks.Queries.ListWebhookDeliveries;
using LinkTracking.Application.Webhooks.Queries.ListWebhooks;
using LinkTracking.WebApi.Infrastructure;
using LinkTracking.WebApi.OpenApi;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LinkTracking.WebApi.Controllers;

/// <summary>
/// Webhook subscriptions (scope <c>admin</c>). Events are signed as Standard Webhooks and delivered at least once
/// (docs/webhooks.md); the signing secret is shown once, at creation.
/// </summary>
[Authorize(Policy = ScopePolicies.Admin)]
public sealed class WebhooksController(ISender sender) : LinkTrackingControllerBase
{
    /// <summary>Subscribes a URL to events; <c>secret</c> (<c>whsec_…</c>) in the answer is shown this once only.</summary>
    [HttpPost("webhooks")]
    [OperationId("createWebhook")]
    [ProducesResponseType<CreatedWebhookDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<ActionResult<CreatedWebhookDto>> Create(CreateWebhookCommand command, CancellationToken cancellationToken)
    {
        var created = await sender.Send(command, cancellationToken);
        return StatusCode(StatusCodes.Status201Created, created);
    }

    /// <summary>Every subscription, without secrets; a disabled one says why.</summary>
    [HttpGet("webhooks")]
    [OperationId("listWebhooks")]
    [ProducesResponseType<IReadOnlyList<WebhookDto>>(StatusCodes.Status200OK)]
    public async Task<ActionResult<IReadOnlyList<WebhookDto>>> List(CancellationToken cancellationToken) =>
        Ok(await sender.Send(new ListWebhooksQuery(), cancellationToken));

    /// <summary>Deletes a subscription and its pending events.</summary>
    [HttpDelete("webhooks/{id}")]
    [OperationId("deleteWebhook")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Delete(Guid id, CancellationToken cancellationToken)
    {
        await sender.Send(new DeleteWebhookCommand(id), cancellationToken);
        return NoContent();
    }

    /// <summary>The newest delivery attempts (at most 200), newest first.</summary>
    [HttpGet("webhooks/{id}/deliveries")]
    [OperationId("listWebhookDeliveries")]
    [ProducesResponseType<IReadOnlyList<WebhookDeliveryDto>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<IReadOnlyList<WebhookDeliveryDto>>> Deliveries(Guid id, CancellationToken cancellationToken) =>
        Ok(await sender.Send(new ListWebhookDeliveriesQuery(id), cancellationToken));

    /// <summary>Sends the event of that delivery again, with the same <c>webhook-id</c>; 202: queued.</summary>
    [HttpPost("webhooks/{id}/deliveries/{deliveryId}/redeliver")]
    [OperationId("redeliverWebhook")]
    [ProducesResponseType(StatusCodes.Status202Accepted)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Redeliver(Guid id, Guid deliveryId, CancellationToken cancellationToken)
    {
        await sender.Send(new RedeliverWebhookCommand(id, deliveryId), cancellationToken);
        return Accepted();
    }
}
