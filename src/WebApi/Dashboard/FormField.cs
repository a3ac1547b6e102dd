namespace LinkTracking.WebApi.Dashboard;

/// <summary>
/// A labelled form field (<c>_Field</c>): <see cref="Name"/> is the API's snake_case field name, so the command's
/// validation error for that name shows under it.
/// </summary>
public sealed record FormField(
    string Name,
    string Label,
    string? Value = null,
    string Type = "text",
    bool Required = false,
    int MaxLength = 2048,
    string? Hint = null,
    IReadOnlyList<string>? Options = null);
