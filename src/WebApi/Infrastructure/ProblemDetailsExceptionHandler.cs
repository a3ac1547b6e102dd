using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Domain.Common;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>
/// The one place where exceptions become RFC 9457 problem documents. A 500 never carries details. A database that did
/// not answer in time (<see cref="DatabaseTimeouts"/>: statement or command timeout, lock wait, SQLite busy) is a 503
/// with <c>Retry-After</c>, logged as a warning with the route and how long it ran, never a 500.
/// </summary>
public sealed partial class ProblemDetailsExceptionHandler(IProblemDetailsService problemDetails, ILogger<ProblemDetailsExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            return true; // The client went away; nobody is listening for a body.
        }

        var problem = exception switch
        {
            ValidationException e => Validation(e.Errors),
            DomainRuleException e => Validation(new Dictionary<string, string[]> { [e.Field] = [e.Message] }),
            NotFoundException e => Problem(StatusCodes.Status404NotFound, "Not found", e.Message),
            ConflictException e => Problem(StatusCodes.Status409Conflict, "Conflict", e.Message),
            RequestBodyTooLargeException e => Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large", e.Message),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"Request bodies are limited to {RequestLimits.BodyLimitOf(httpContext)} bytes on this route."),
            BadHttpRequestException e => Problem(e.StatusCode, "Bad request", "The request could not be read."),
            ServiceUnavailableException e => Problem(StatusCodes.Status503ServiceUnavailable, "Service unavailable", e.Message),
            ClickNotDurableException => Problem(StatusCodes.Status503ServiceUnavailable, "Service unavailable", "The click could not be stored; retry later."),
            _ when DatabaseTimeouts.IsTimeout(exception) => DatabaseTimeout(httpContext, exception),
            _ => null,
        };

        if (problem is null)
        {
            LogUnhandled(exception, httpContext.Request.Method, httpContext.Request.Path);
            problem = Problem(StatusCodes.Status500InternalServerError, "Internal server error", "An unexpected error occurred.");
        }

        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            var retryAfter = exception is ServiceUnavailableException unavailable ? unavailable.RetryAfter : TimeSpan.FromSeconds(5);
            httpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    public static ValidationProblemDetails Validation(IReadOnlyDictionary<string, string[]> errors) =>
        new(errors.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "One or more validation errors occurred.",
            Detail = "See errors for the fields at fault.",
        };

    /// <summary>What a client sees when the database did not answer in time; the log says where and after how long.</summary>
    public const string DatabaseTimeoutDetail = "The database did not answer in time; retry later.";

    private ProblemDetails DatabaseTimeout(HttpContext httpContext, Exception exception)
    {
        var route = (httpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? httpContext.Request.Path.Value ?? "";
        var elapsed = Elapsed(httpContext, exception);
        LogDatabaseTimeout(exception, httpContext.Request.Method, route, elapsed is { } e ? (long)e.TotalMilliseconds : -1);
        return Problem(StatusCodes.Status503ServiceUnavailable, "Service unavailable", DatabaseTimeoutDetail);
    }

    /// <summary>The time the database work ran (a bounded read knows it), else the request's age when it is traced, else unknown.</summary>
    private static TimeSpan? Elapsed(HttpContext httpContext, Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DatabaseTimeoutException { Elapsed: { } elapsed })
            {
                return elapsed;
            }
        }

        return httpContext.Features.Get<IHttpActivityFeature>()?.Activity is { } activity && activity.StartTimeUtc != default
            ? DateTime.UtcNow - activity.StartTimeUtc
            : null;
    }

    private static ProblemDetails Problem(int status, string title, string detail) => new()
    {
        Status = status,
        Title = title,
        Detail = detail,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}")]
    private partial void LogUnhandled(Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database timeout on {Method} {Route} after {ElapsedMs} ms; answered 503")]
    private partial void LogDatabaseTimeout(Exception exception, string method, string route, long elapsedMs);
}
