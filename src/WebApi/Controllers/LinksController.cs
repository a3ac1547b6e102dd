using LinkTracking.Application.Common.Mapping;
using LinkTracking.Application.Common.Models;
using LinkTracking.Application.Links.Commands.ActivateLink;
using LinkTracking.Application.Links.Commands.CreateApplicationLinkPackage;
using LinkTracking.Application.Links.Commands.CreateTrackedLink;
using LinkTracking.Application.Links.Commands.DeactivateLink;
using LinkTracking.Application.Links.Queries.GetLink;
using LinkTracking.Application.Links.Queries.ListLinks;
using LinkTracking.WebApi.Infrastructure;
using LinkTracking.WebApi.OpenApi;
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
