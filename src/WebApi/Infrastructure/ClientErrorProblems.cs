using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>
/// MVC's own client errors (415 for a body that is not JSON, and any other status result of [ApiController]) as
/// problem documents with <c>application/problem+json</c>. MVC's default factory returns an ObjectResult, whose
/// content type the controllers' <c>[Produces("application/json")]</c> filter rewrites to <c>application/json</c>.
/// </summary>
public sealed class ClientErrorProblems(ProblemDetailsFactory problemDetails) : IClientErrorFactory
{
    public IActionResult GetClientError(ActionContext actionContext, IClientErrorActionResult clientError)
    {
        ArgumentNullException.ThrowIfNull(actionContext);
        ArgumentNullException.ThrowIfNull(clientError);
        var status = clientError.StatusCode ?? StatusCodes.Status500InternalServerError;
        var problem = problemDetails.CreateProblemDetails(actionContext.HttpContext, status);
        return new ProblemResult(new ObjectResult(problem) { StatusCode = status, ContentTypes = { "application/problem+json" } });
    }

    /// <summary>Not an ObjectResult itself, so that result filters leave its content type alone.</summary>
    private sealed class ProblemResult(ObjectResult inner) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => inner.ExecuteResultAsync(context);
    }
}
