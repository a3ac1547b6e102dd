using System.Globalization;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>
/// Binds a query value that is an ISO 8601 instant (<c>2025-07-27T21:15:30Z</c>, an offset, or a date alone) to a
/// <see cref="DateTimeOffset"/>. A value without an offset is UTC — never the server's time zone. Anything else is a
/// model error on the parameter's name, so the answer is a 400 problem naming the field.
/// </summary>
public sealed class UtcInstantModelBinder : IModelBinder
{
    public Task BindModelAsync(ModelBindingContext bindingContext)
    {
        ArgumentNullException.ThrowIfNull(bindingContext);
        var name = bindingContext.ModelName;
        var value = bindingContext.ValueProvider.GetValue(name);
        if (value == ValueProviderResult.None || string.IsNullOrEmpty(value.FirstValue))
        {
            return Task.CompletedTask;
        }

        bindingContext.ModelState.SetModelValue(name, value);
        if (TryParse(value.FirstValue, out var instant))
        {
            bindingContext.Result = ModelBindingResult.Success(instant);
        }
        else
        {
            bindingContext.ModelState.TryAddModelError(name, "An ISO 8601 instant such as 2025-07-27T21:15:30Z is expected.");
        }

        return Task.CompletedTask;
    }

    public static bool TryParse(string? text, out DateTimeOffset instant)
    {
        instant = default;
        var value = text?.Trim();
        // ISO 8601 only: yyyy-MM-dd first (DateTimeOffset.TryParse alone would take "7/27/2025" or "Sunday").
        return value is { Length: >= 10 } && char.IsAsciiDigit(value[0]) && value[4] == '-' && value[7] == '-'
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant);
    }
}
