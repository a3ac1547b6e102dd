using Microsoft.Extensions.Options;

namespace LinkTracking.Application.Common.Options;

/// <summary>Section <c>OrphanVisits</c>: how many requests for unknown or malformed links are kept.</summary>
public sealed class OrphanVisitOptions
{
    public const string SectionName = "OrphanVisits";

    /// <summary>Visits kept per masked client address (/24 or /48) per UTC day, per instance. 0 turns recording off.</summary>
    [Between(0, int.MaxValue, ErrorMessage = "OrphanVisits:MaxPerIpPerDay must be 0 (off) or positive.")]
    public int MaxPerIpPerDay { get; set; } = 20;

    /// <summary>Visits kept per UTC day in all (checked against the database before each write).</summary>
    [Between(1, int.MaxValue, ErrorMessage = "OrphanVisits:MaxPerDay must be at least {1} (OrphanVisits:MaxPerIpPerDay=0 turns recording off).")]
    public int MaxPerDay { get; set; } = 5000;

    /// <summary>Visits older than this are deleted; a value below 1 would delete every visit, so it stops start-up.</summary>
    [Between(1, OptionLimits.MaxDays, ErrorMessage = "OrphanVisits:RetentionDays must be between {1} and {2}.")]
    public int RetentionDays { get; set; } = 30;
}

/// <summary>Checks <see cref="OrphanVisitOptions"/> at start-up (source-generated from the data annotations).</summary>
[OptionsValidator]
public sealed partial class OrphanVisitOptionsValidator : IValidateOptions<OrphanVisitOptions>;
