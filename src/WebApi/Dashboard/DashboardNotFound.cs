using LinkTracking.Application.Common.Exceptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Infrastructure;

namespace LinkTracking.WebApi.Dashboard;

/// <summary>
/// The dashboard's 404: an HTML page in the dashboard's layout (<c>Pages/Dashboard/_NotFound.cshtml</c>), never the
/// API's problem document. Answered for an unknown or malformed id on a page (<c>/dashboard/links/{id}</c>, jobs,
/// applications: the queries' not-found and validation errors on a GET) and for any <c>/dashboard/…</c> path no page
/// matches (<c>/dashboard/jobs/not-a-guid</c>).
/// </summary>
public static class DashboardNotFound
{
    public const string ViewPath = "/Pages/Dashboard/_NotFound.cshtml";

    public static ViewResult Result() => new() { ViewName = ViewPath, StatusCode = StatusCodes.Status404NotFound };

    /// <summary>Whether a request no endpoint matched belongs to the dashboard.</summary>
    public static bool IsDashboardPath(HttpContext context) =>
        context.Request.Path.StartsWithSegments(DashboardAuthentication.BasePath, StringComparison.OrdinalIgnoreCase);

    /// <summary>Writes the page for a request no endpoint matched (outside MVC: no page, no route values).</summary>
    public static Task WriteAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var executor = context.RequestServices.GetRequiredService<IActionResultExecutor<ViewResult>>();
        return executor.ExecuteAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()), Result());
    }
}

/// <summary>Turns a page's "no such link/job/application" (or a malformed id on a GET) into <see cref="DashboardNotFound"/>.</summary>
public sealed class DashboardNotFoundFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var executed = await next();
        if (executed.Exception is NotFoundException
            || (executed.Exception is ValidationException && HttpMethods.IsGet(context.HttpContext.Request.Method)))
        {
            executed.ExceptionHandled = true;
            executed.Result = DashboardNotFound.Result();
        }
    }
}
