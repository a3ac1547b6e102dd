using System.Text;
using System.Text.Json;
using FluentValidation.Results;

namespace LinkTracking.Application.Common.Validation;

/// <summary>Turns validation failures into the wire shape: errors keyed by snake_case field path.</summary>
public static class ValidationErrors
{
    public static Dictionary<string, string[]> ToDictionary(IEnumerable<ValidationFailure> failures) =>
        failures
            .GroupBy(f => ToWireName(f.PropertyName), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray(), StringComparer.Ordinal);

    /// <summary><c>Clicks[3].TrackingId</c> → <c>clicks[3].tracking_id</c>.</summary>
    public static string ToWireName(string propertyPath)
    {
        if (string.IsNullOrEmpty(propertyPath))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(propertyPath.Length + 8);
        foreach (var segment in propertyPath.Split('.'))
        {
            if (builder.Length > 0)
            {
                builder.Append('.');
            }

            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? segment : segment[..bracket];
            builder.Append(JsonNamingPolicy.SnakeCaseLower.ConvertName(name));
            if (bracket >= 0)
            {
                builder.Append(segment.AsSpan(bracket));
            }
        }

        return builder.ToString();
    }
}
