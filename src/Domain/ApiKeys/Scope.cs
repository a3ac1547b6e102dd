namespace LinkTracking.Domain.ApiKeys;

/// <summary>What an API key may do. <see cref="Admin"/> implies every other scope.</summary>
public static class Scope
{
    public const string LinksWrite = "links:write";
    public const string ClicksWrite = "clicks:write";
    public const string AnalyticsRead = "analytics:read";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [LinksWrite, ClicksWrite, AnalyticsRead, Admin];

    public static bool IsKnown(string? scope) => scope is not null && All.Contains(scope, StringComparer.Ordinal);

    /// <summary>Whether a key holding <paramref name="held"/> may do what <paramref name="required"/> allows (admin grants everything).</summary>
    public static bool Grants(IEnumerable<string> held, string required)
    {
        ArgumentNullException.ThrowIfNull(held);
        return held.Any(s => s == Admin || s == required);
    }
}
