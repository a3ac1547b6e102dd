namespace LinkTracking.Domain.Outcomes;

/// <summary>The stages an application can reach, as the orchestrator reports them (wire names).</summary>
public static class OutcomeStage
{
    public const string Applied = "applied";
    public const string Viewed = "viewed";
    public const string Replied = "replied";
    public const string Screening = "screening";
    public const string Interview = "interview";
    public const string Offer = "offer";
    public const string Hired = "hired";
    public const string Rejected = "rejected";
    public const string Withdrawn = "withdrawn";
    public const string NoResponse = "no_response";

    /// <summary>Longest stage name, for column sizes.</summary>
    public const int MaxLength = 20;

    public static IReadOnlyList<string> All { get; } =
        [Applied, Viewed, Replied, Screening, Interview, Offer, Hired, Rejected, Withdrawn, NoResponse];

    public static bool IsKnown(string? stage) => stage is not null && All.Contains(stage, StringComparer.Ordinal);
}
