namespace LinkTracking.Application.Common.Options;

/// <summary>Section <c>OrphanVisits</c>: how many requests for unknown or malformed links are kept.</summary>
public sealed class OrphanVisitOptions
{
    public const string SectionName = "OrphanVisits";

    /// <summary>Visits kept per masked client address (/24 or /48) per UTC day, per instance. 0 turns recording off.</summary>
    public int MaxPerIpPerDay { get; set; } = 20;

    /// <summary>Visits kept per UTC day in all (checked against the database before each write).</summary>
    public int MaxPerDay { get; set; } = 5000;

    /// <summary>Visits older than this are deleted.</summary>
    public int RetentionDays { get; set; } = 30;
}
