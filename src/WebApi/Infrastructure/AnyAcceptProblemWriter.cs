using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>
/// The last problem writer: writes <c>application/problem+json</c> whatever the request's <c>Accept</c> says. The
/// framework's writers only write when the client accepts JSON; with none left, a browser's <c>Accept: text/html</c>
/// (or <c>text/plain</c>, or <c>image/png</c>) turned every 401, 404 or 500 into a 500 with an empty body. A problem
/// document the client did not ask for is still more use to it than nothing (RFC 9110 allows ignoring Accept).
/// </summary>
public sealed class AnyAcceptProblemWriter(IOptions<JsonOptions> json, IOptions<ApiBehaviorOptions> mvc, IOptions<ProblemDetailsOptions> problems)
    : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var httpContext = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= httpContext.Response.StatusCode;
        if (mvc.Value.ClientErrorMapping.TryGetValue(problem.Status.Value, out var mapping))
        {
            problem.Type ??= mapping.Link;
            problem.Title ??= mapping.Title;
        }

        problems.Value.CustomizeProblemDetails?.Invoke(context);
        return new ValueTask(httpContext.Response.WriteAsJsonAsync(problem, problem.GetType(), json.Value.JsonSerializerOptions, "application/problem+json", httpContext.RequestAborted));
    }
}
