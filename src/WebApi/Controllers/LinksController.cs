using LinkTracking.Application.Common.Mapping;
using LinkTracking.Application.Common.Models;
using LinkTracking.Application.Links.Commands.ActivateLink;
using LinkTracking.Application.Links.Commands.CreateApplicationLinkPackage;
using LinkTracking.Application.Links.Commands.CreateTrackedLink;
using LinkTracking.Application.Links.Commands.DeactivateLink;
using LinkTracking.Application.Links.Commands.UpdateLink;
using LinkTracking.Application.Links.Common;
using LinkTracking.Application.Links.Queries.GetLink;
using LinkTracking.Application.Links.Queries.GetLinkHistory;
using LinkTracking.Application.Links.Queries.GetLinkQrCode;
using LinkTracking.Application.Links.Queries.ListLinks;
using LinkTracking.WebApi.Infrastructure;
using LinkTracking.WebApi.OpenApi;
using System.Security.Claims;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace LinkTracking.WebApi.Controllers;

/// <summary>Creating, reading and switching tracked links.</summary>
public sealed class LinksController(ISender sender) : LinkTrackingControllerBase
{
    /// <summary>Creates a tracked link.</summary>
    [HttpPost("create")]
    [OperationId("createLink")]
    [Authorize(Policy = ScopePolicies.LinksWrite)]
    [ProducesResponseType<LinkDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<ActionResult<LinkDto>> Create(CreateTrackedLinkCommand command, CancellationToken cancellationToken)
    {
        var link = await sender.Send(command, cancellationToken);
        return Created(LinkLocation(link.TrackingId), link);
    }

    /// <summary>One link, with what an external redirector needs.</summary>
    [HttpGet("links/{trackingId}")]
    [OperationId("getLink")]
    [Authorize(Policy = ScopePolicies.LinkRead)]
    [ProducesResponseType<LinkDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<LinkDto>> Get(string trackingId, CancellationToken cancellationToken) =>
        await sender.Send(new GetLinkQuery(trackingId), cancellationToken);

    /// <summary>Links matching the filters, newest first; <c>page_size</c> at most 200.</summary>
    [HttpGet("links")]
    [OperationId("listLinks")]
    [Authorize(Policy = ScopePolicies.AnalyticsRead)]
    [EnableRateLimiting(RateLimitPolicies.AnalyticsPerKey)]
    [ProducesResponseType<PagedResult<LinkDto>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json", Description = "The database did not answer within Database:QueryTimeout; retry after Retry-After seconds.")]
    public async Task<ActionResult<PagedResult<LinkDto>>> List(
        [FromQuery(Name = "job_id")] Guid? jobId,
        [FromQuery(Name = "application_id")] Guid? applicationId,
        [FromQuery(Name = "link_function")] string? linkFunction,
        [FromQuery(Name = "is_active")] bool? isActive,
        [FromQuery(Name = "page")] int page = 1,
        [FromQuery(Name = "page_size")] int pageSize = ListLinksQuery.DefaultPageSize,
        CancellationToken cancellationToken = default) =>
        await sender.Send(new ListLinksQuery(jobId, applicationId, linkFunction, isActive, page, pageSize), cancellationToken);

    /// <summary>
    /// Changes some of a link's settings: only the fields sent change; <c>description</c>, <c>expires_at</c>,
    /// <c>max_human_clicks</c>, <c>fallback_url</c> and <c>variants</c> sent as null are cleared. Each change is recorded in the link's
    /// history with the time and the API key; every instance drops its cached copy at once.
    /// </summary>
    [HttpPatch("links/{trackingId}")]
    [OperationId("updateLink")]
    [Authorize(Policy = ScopePolicies.LinksWrite)]
    [Consumes("application/json", "application/merge-patch+json")]
    [ProducesResponseType<LinkDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<LinkDto>> Update(string trackingId, UpdateLinkRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var keyId = Guid.TryParse(User.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim), out var id) ? id : (Guid?)null;
        return await sender.Send(new UpdateLinkCommand(trackingId, request.ToPatch(), keyId), cancellationToken);
    }

    /// <summary>The recorded changes of a link's settings, oldest first (at most 500).</summary>
    [HttpGet("links/{trackingId}/history")]
    [OperationId("getLinkHistory")]
    [Authorize(Policy = ScopePolicies.LinkHistoryRead)]
    [ProducesResponseType<LinkHistoryDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<LinkHistoryDto>> History(string trackingId, CancellationToken cancellationToken) =>
        await sender.Send(new GetLinkHistoryQuery(trackingId), cancellationToken);

    /// <summary>
    /// The QR code of the link's redirect URL with <c>?src=qr</c> (scans count with click source <c>qr</c>), as PNG or
    /// SVG, <c>size</c> pixels wide (64 to 2048, default 256; a PNG is the largest whole number of pixels per module
    /// that fits). Cacheable: a strong <c>ETag</c> (an <c>If-None-Match</c> that matches answers 304) and
    /// <c>Cache-Control: private, max-age=86400</c>.
    /// </summary>
    [HttpGet("links/{trackingId}/qr")]
    [OperationId("getLinkQrCode")]
    [Authorize(Policy = ScopePolicies.AnalyticsRead)]
    [EnableRateLimiting(RateLimitPolicies.AnalyticsPerKey)]
    [ProducesResponseType<FileContentResult>(StatusCodes.Status200OK, "image/png", "image/svg+xml")]
    [ProducesResponseType(StatusCodes.Status304NotModified)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<IActionResult> QrCode(
        string trackingId,
        [FromQuery(Name = "format")] string? format,
        [FromQuery(Name = "size")] int? size,
        CancellationToken cancellationToken)
    {
        var image = await sender.Send(new GetLinkQrCodeQuery(trackingId, format, size), cancellationToken);
        Response.Headers.CacheControl = "private, max-age=86400";
        Response.Headers.ETag = image.ETag;
        if (Request.Headers.IfNoneMatch.Any(v => v is not null && (v == "*" || v.Split(',').Any(t => t.Trim() == image.ETag))))
        {
            return StatusCode(StatusCodes.Status304NotModified);
        }

        return File(image.Content, image.ContentType);
    }

    /// <summary>Stops a link from redirecting, at once, on every instance.</summary>
    [HttpPost("links/{trackingId}/deactivate")]
    [OperationId("deactivateLink")]
    [Authorize(Policy = ScopePolicies.LinksWrite)]
    [ProducesResponseType<LinkDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<LinkDto>> Deactivate(string trackingId, CancellationToken cancellationToken) =>
        await sender.Send(new DeactivateLinkCommand(trackingId), cancellationToken);

    /// <summary>Lets a deactivated link redirect again.</summary>
    [HttpPost("links/{trackingId}/activate")]
    [OperationId("activateLink")]
    [Authorize(Policy = ScopePolicies.LinksWrite)]
    [ProducesResponseType<LinkDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<LinkDto>> Activate(string trackingId, CancellationToken cancellationToken) =>
        await sender.Send(new ActivateLinkCommand(trackingId), cancellationToken);

    /// <summary>
    /// Creates the standard link package of an application: the configured profile links, the job's own links
    /// and any extra links (a later source replaces an earlier one for the same function). Calling it again
    /// returns the same links.
    /// </summary>
    [HttpPost("applications/{applicationId}/links")]
    [OperationId("createApplicationLinks")]
    [Authorize(Policy = ScopePolicies.LinksWrite)]
    [ProducesResponseType<ApplicationLinkPackageDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<ActionResult<ApplicationLinkPackageDto>> CreatePackage(
        Guid applicationId, ApplicationLinkPackageRequest? request, CancellationToken cancellationToken)
    {
        var command = new CreateApplicationLinkPackageCommand(
            applicationId, request?.JobId, request?.JobData, request?.ExtraLinks, request?.SentAt, request?.Decoy ?? false);
        var package = await sender.Send(command, cancellationToken);
        return Created(string.Empty, package);
    }

    private string LinkLocation(string trackingId) => $"{Request.PathBase}/api/v1/link-tracking/links/{trackingId}";
}

/// <summary>Body of the application package route.</summary>
public sealed record ApplicationLinkPackageRequest(
    Guid? JobId = null,
    JobData? JobData = null,
    IReadOnlyList<ExtraLink>? ExtraLinks = null,
    DateTimeOffset? SentAt = null,
    bool? Decoy = null);

/// <summary>
/// Body of the link PATCH (JSON merge patch): a field left out stays as it is; a field sent as null is cleared.
/// </summary>
public sealed class UpdateLinkRequest
{
    private Patched<string?> _originalUrl;
    private Patched<string?> _description;
    private Patched<DateTimeOffset?> _expiresAt;
    private Patched<int?> _maxHumanClicks;
    private Patched<string?> _fallbackUrl;
    private Patched<IReadOnlyList<VariantRequest>?> _variants;

    /// <summary>The new destination (validated like on create).</summary>
    public string? OriginalUrl { get => _originalUrl.Value; set => _originalUrl = Patched.To<string?>(value); }

    /// <summary>The new description; null clears it.</summary>
    public string? Description { get => _description.Value; set => _description = Patched.To<string?>(value); }

    /// <summary>When the link stops redirecting to its destination (in the future); null removes the expiry.</summary>
    public DateTimeOffset? ExpiresAt { get => _expiresAt.Value; set => _expiresAt = Patched.To<DateTimeOffset?>(value); }

    /// <summary>Human clicks after which the link is spent (1 to 1000000000); null removes the limit.</summary>
    public int? MaxHumanClicks { get => _maxHumanClicks.Value; set => _maxHumanClicks = Patched.To<int?>(value); }

    /// <summary>Where a spent link redirects instead of answering 410; null removes it.</summary>
    public string? FallbackUrl { get => _fallbackUrl.Value; set => _fallbackUrl = Patched.To<string?>(value); }

    /// <summary>
    /// New A/B destinations (2 to 5), replacing the old ones; null removes them. Visitors keep their variant as far as
    /// the new weights allow: a changed weight moves only the share of visitors it must.
    /// </summary>
    public IReadOnlyList<VariantRequest>? Variants { get => _variants.Value; set => _variants = Patched.To(value); }

    public LinkPatch ToPatch() => new()
    {
        OriginalUrl = _originalUrl,
        Description = _description,
        ExpiresAt = _expiresAt,
        MaxHumanClicks = _maxHumanClicks,
        FallbackUrl = _fallbackUrl,
        Variants = _variants,
    };
}
