using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Domain.Common;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace LinkTracking.WebApi.Dashboard;

/// <summary>
/// Reading the dashboard's form posts by field name (the service's MVC reads no forms, see AddWebApi), and showing the
/// commands' validation errors, keyed by the API's snake_case field names, next to the field of the same name.
/// </summary>
public static class DashboardForms
{
    /// <summary>A field's trimmed value, null when empty or absent.</summary>
    public static string? Field(this IFormCollection form, string name)
    {
        ArgumentNullException.ThrowIfNull(form);
        var value = form[name].ToString().Trim();
        return value.Length == 0 ? null : value;
    }

    /// <summary>An optional UUID field; a value that is not one is an error on that field.</summary>
    public static Guid? GuidField(this IFormCollection form, string name, ModelStateDictionary errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var value = form.Field(name);
        if (value is null)
        {
            return null;
        }

        if (Guid.TryParse(value, out var id))
        {
            return id;
        }

        errors.AddModelError(name, "Must be a UUID, such as 3fa85f64-5717-4562-b3fc-2c963f66afa6.");
        return null;
    }

    /// <summary>Copies a command's validation failure onto the form's fields; false when the exception is no such failure.</summary>
    public static bool TryAddErrors(this ModelStateDictionary errors, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(errors);
        switch (exception)
        {
            case ValidationException validation:
                foreach (var (field, messages) in validation.Errors)
                {
                    foreach (var message in messages)
                    {
                        errors.AddModelError(field, message);
                    }
                }

                return true;
            case DomainRuleException rule:
                errors.AddModelError(rule.Field, rule.Message);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The first error of a field, or null.</summary>
    public static string? ErrorFor(this ModelStateDictionary errors, string field)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.TryGetValue(field, out var entry) && entry.Errors.Count > 0 ? entry.Errors[0].ErrorMessage : null;
    }
}
