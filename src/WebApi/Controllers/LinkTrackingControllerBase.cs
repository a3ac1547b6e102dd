using Asp.Versioning;
using Microsoft.AspNetCore.Mvc;

namespace LinkTracking.WebApi.Controllers;

/// <summary>
/// Every API route exists twice: <c>/api/v{version}/link-tracking/…</c> and the unversioned
/// <c>/api/link-tracking/…</c>, which means the default version (1.0). API answers report the supported versions
/// (<c>api-supported-versions</c>); the version-neutral redirect does not carry that filter.
/// </summary>
[ApiController]
[ApiVersion("1.0")]
[ReportApiVersions]
[Route("api/v{version:apiVersion}/link-tracking")]
[Route("api/link-tracking")]
[Produces("application/json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
public abstract class LinkTrackingControllerBase : ControllerBase;
