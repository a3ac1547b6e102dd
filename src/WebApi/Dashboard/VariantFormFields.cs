using System.Globalization;
using LinkTracking.Application.Links.Common;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace LinkTracking.WebApi.Dashboard;

/// <summary>
/// The new-link form's A/B variant rows (<c>_VariantFields</c>): fields named like the API's error keys
/// (<c>variants[1].url</c>), so the command's validation errors show under the right field.
/// </summary>
public static class VariantFormFields
{
    public const int Rows = 5;

    public static IReadOnlyList<string> Names { get; } =
        [.. Enumerable.Range(0, Rows).SelectMany(i => new[] { $"variants[{i}].key", $"variants[{i}].url", $"variants[{i}].weight" })];

    /// <summary>
    /// The rows up to the last one filled in (an empty row before it is sent as it is and named by the validation),
    /// or null when none is: a plain link. A weight that is not a whole number is an error on its field.
    /// </summary>
    public static IReadOnlyList<VariantRequest>? Read(IReadOnlyDictionary<string, string?> values, ModelStateDictionary errors)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(errors);
        var rows = Enumerable.Range(0, Rows)
            .Select(i => (Index: i, Key: values.GetValueOrDefault($"variants[{i}].key"), Url: values.GetValueOrDefault($"variants[{i}].url"), Weight: values.GetValueOrDefault($"variants[{i}].weight")))
            .ToList();
        var last = rows.FindLastIndex(r => r.Key is not null || r.Url is not null || r.Weight is not null);
        if (last < 0)
        {
            return null;
        }

        var variants = new List<VariantRequest>(last + 1);
        foreach (var row in rows.Take(last + 1))
        {
            int? weight = null;
            if (row.Weight is not null)
            {
                if (int.TryParse(row.Weight, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                {
                    weight = parsed;
                }
                else
                {
                    errors.AddModelError($"variants[{row.Index}].weight", "A weight is a whole number from 1 to 100.");
                }
            }

            variants.Add(new VariantRequest(row.Key, row.Url, weight));
        }

        return variants;
    }
}
