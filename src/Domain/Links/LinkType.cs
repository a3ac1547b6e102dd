namespace LinkTracking.Domain.Links;

/// <summary>The closed list of link types.</summary>
public static class LinkType
{
    public const string Profile = "profile";
    public const string JobPosting = "job_posting";
    public const string Application = "application";
    public const string Networking = "networking";
    public const string Document = "document";
    public const string External = "external";
    public const string Internal = "internal";
    public const string Contact = "contact";

    public static IReadOnlyList<string> All { get; } =
        [Profile, JobPosting, Application, Networking, Document, External, Internal, Contact];

    public static bool IsKnown(string? value) => value is not null && All.Contains(value, StringComparer.Ordinal);
}
