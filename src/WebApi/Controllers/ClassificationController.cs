using System.Security.Claims;
using LinkTracking.Application.Clicks.Labels;
using LinkTracking.WebApi.Infrastructure;
using LinkTracking.WebApi.OpenApi;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LinkTracking.WebApi.Controllers;

/// <summary>
/// Corrections of the click classifier's verdicts (scope <c>links:write</c>): a user's label on a click, and the
/// operator rules labels make for an origin (docs/click-classification.md, "User labels").
/// </summary>
[Authorize(Policy = ScopePolicies.LinksWrite)]
public sealed class ClassificationController(ISender sender) : LinkTrackingControllerBase
{
    /// <summary>
    /// Sets a click's <c>bot_category</c> (signal <c>user_label</c>); analytics and rollups follow, and the change is
    /// recorded in the link's history. <c>scope: "origin"</c> also keeps a rule for the click's origin (its ASN for
    /// cloud and scanner networks, else its /24 or /48) that classifies that origin's future clicks (signal
    /// <c>origin_rule</c>); a click without an origin (Do-Not-Track, no address) → 400.
    /// </summary>
    [HttpPost("clicks/{clickId}/label")]
    [OperationId("labelClick")]
    [ProducesResponseType<ClickLabelDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<ClickLabelDto>> Label(Guid clickId, LabelClickRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var keyId = Guid.TryParse(User.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim), out var id) ? id : (Guid?)null;
        return await sender.Send(new LabelClickCommand(clickId, request.BotCategory, request.Note, request.Scope, keyId), cancellationToken);
    }

    /// <summary>The operator rules made by labels with <c>scope: "origin"</c>, newest first.</summary>
    [HttpGet("classification-rules")]
    [OperationId("listClassificationRules")]
    [ProducesResponseType<IReadOnlyList<ClassificationRuleDto>>(StatusCodes.Status200OK)]
    public async Task<ActionResult<IReadOnlyList<ClassificationRuleDto>>> ListRules(CancellationToken cancellationToken) =>
        Ok(await sender.Send(new ListClassificationRulesQuery(), cancellationToken));

    /// <summary>Deletes a rule: the origin's future clicks are classified as before (past clicks keep their category).</summary>
    [HttpDelete("classification-rules/{id}")]
    [OperationId("deleteClassificationRule")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> DeleteRule(Guid id, CancellationToken cancellationToken)
    {
        await sender.Send(new DeleteClassificationRuleCommand(id), cancellationToken);
        return NoContent();
    }
}

/// <summary>Body of a label: <c>bot_category</c>, an optional <c>note</c> (≤ 500), <c>scope</c> <c>click</c> (default) or <c>origin</c>.</summary>
public sealed record LabelClickRequest(string? BotCategory, string? Note, string? Scope);
