using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>
/// Binding failures (malformed JSON, a value of the wrong type, a missing body) as the same 400 problem as
/// validation failures: errors keyed by snake_case field, no parser internals in the messages.
/// </summary>
public static class ModelStateProblems
{
    public const string BodyField = "body";

    public static IActionResult Create(ActionContext context)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var bodyUnreadable = context.ModelState.Any(e => (e.Key.Length == 0 || e.Key.StartsWith('$')) && e.Value?.ValidationState == ModelValidationState.Invalid);
        foreach (var (key, entry) in context.ModelState)
        {
            if (entry.ValidationState != ModelValidationState.Invalid)
            {
                continue;
            }

            // A body that failed to parse also leaves its parameter "required"; the parse error is the one that helps.
            if (bodyUnreadable && IsBodyParameter(key, context))
            {
                continue;
            }

            var field = ToField(key, context);
            var messages = entry.Errors.Select(e => Message(key, e)).Distinct().ToArray();
            errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, .. messages] : messages;
        }

        var factory = context.HttpContext.RequestServices.GetRequiredService<ProblemDetailsFactory>();
        var problem = factory.CreateValidationProblemDetails(
            context.HttpContext,
            new ModelStateDictionary(),
            StatusCodes.Status400BadRequest,
            "One or more validation errors occurred.",
            detail: "See errors for the fields at fault.");
        foreach (var (field, messages) in errors)
        {
            problem.Errors[field] = messages;
        }

        // Not an ObjectResult itself: the controllers' [Produces("application/json")] filter would rewrite its content type.
        return new ProblemResult(new BadRequestObjectResult(problem) { ContentTypes = { "application/problem+json" } });
    }

    private static bool IsBodyParameter(string key, ActionContext context) =>
        context.ActionDescriptor.Parameters.Any(p =>
            p.BindingInfo?.BindingSource == BindingSource.Body && string.Equals(p.Name, key, StringComparison.Ordinal));

    private static string ToField(string key, ActionContext context)
    {
        if (key.StartsWith("$.", StringComparison.Ordinal))
        {
            return key[2..];
        }

        if (key is "" or "$" || IsBodyParameter(key, context))
        {
            return BodyField;
        }

        return JsonNamingPolicy.SnakeCaseLower.ConvertName(key);
    }

    private static string Message(string key, ModelError error)
    {
        if (key.StartsWith('$') || error.Exception is JsonException)
        {
            return key is "$" ? "The request body is not valid JSON." : "The value is not valid for this field.";
        }

        return string.IsNullOrEmpty(error.ErrorMessage) ? "The value is not valid." : error.ErrorMessage;
    }

    private sealed class ProblemResult(ObjectResult inner) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => inner.ExecuteResultAsync(context);
    }
}
