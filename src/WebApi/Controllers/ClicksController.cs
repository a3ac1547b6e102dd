using System.Text.Json;
using LinkTracking.Application.Clicks.Commands.RecordClick;
using LinkTracking.Application.Clicks.Commands.RecordClicks;
using LinkTracking.WebApi.Infrastructure;
using LinkTracking.WebApi.OpenApi;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace LinkTracking.WebApi.Controllers;

/// <summary>Clicks seen by partners' redirectors. Limited per client IP, in one budget with the redirect.</summary>
[EnableRateLimiting(RateLimitPolicies.ClicksPerIp)]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
public sealed class ClicksController(ISender sender, IOptions<JsonOptions> jsonOptions) : LinkTrackingControllerBase
{
    /// <summary>Records one click. A retry with the same <c>event_id</c> is acknowledged again but stored once.</summary>
    [HttpPost("record-click")]
    [OperationId("recordClick")]
    [Authorize(Policy = ScopePolicies.ClicksWrite)]
    [ProducesResponseType<ClickReceiptDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<ActionResult<ClickReceiptDto>> RecordClick(RecordClickCommand command, CancellationToken cancellationToken)
    {
        var receipt = await sender.Send(command, cancellationToken);
        return StatusCode(StatusCodes.Status201Created, receipt);
    }

    /// <summary>
    /// Records up to 1000 clicks (a body of up to 1 MiB; other routes take 64 KiB). One result per click, in order;
    /// valid clicks are stored even when others are rejected (a click that is not even well-typed JSON is rejected
    /// alone, with its field named). A click whose <c>event_id</c> is already recorded for its link is answered with the
    /// click as first stored (same <c>click_id</c> and <c>clicked_at</c>) and not stored again.
    /// </summary>
    [HttpPost("record-clicks")]
    [RequestSizeLimit(RequestLimits.MaxBatchBodyBytes)]
    [OperationId("recordClicks")]
    [Authorize(Policy = ScopePolicies.ClicksWrite)]
    [ProducesResponseType<RecordClicksResult>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<ActionResult<RecordClicksResult>> RecordClicks(RecordClicksRequest request, CancellationToken cancellationToken)
    {
        var options = jsonOptions.Value.JsonSerializerOptions;
        List<RecordClickCommand?>? clicks = null;
        Dictionary<int, IReadOnlyDictionary<string, string[]>>? malformed = null;
        if (request.Clicks is { } items)
        {
            clicks = new List<RecordClickCommand?>(items.Count);
            for (var i = 0; i < items.Count && i <= RecordClicksCommand.MaxClicks; i++)
            {
                try
                {
                    clicks.Add(items[i].ValueKind == JsonValueKind.Object ? items[i].Deserialize<RecordClickCommand>(options) : null);
                }
                catch (JsonException e)
                {
                    clicks.Add(null);
                    malformed ??= [];
                    var field = e.Path is { Length: > 2 } path ? path[2..] : ModelStateProblems.BodyField;
                    malformed[i] = new Dictionary<string, string[]> { [field] = ["The value is not valid for this field."] };
                }
            }

            // Keep the count visible to the validator when the batch is too long.
            for (var i = clicks.Count; i < items.Count; i++)
            {
                clicks.Add(null);
            }
        }

        return await sender.Send(new RecordClicksCommand(clicks, malformed), cancellationToken);
    }
}

/// <summary>Body of <c>record-clicks</c>: <c>{ "clicks": [ {record-click body}, … ] }</c>.</summary>
public sealed record RecordClicksRequest(IReadOnlyList<JsonElement>? Clicks);
