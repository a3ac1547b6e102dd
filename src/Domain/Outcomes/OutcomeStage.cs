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

    /// <summary>
    /// The stages that mean an application got a reply: <c>replied</c> or any later stage of the hiring path
    /// (<c>screening</c>, <c>interview</c>, <c>offer</c>, <c>hired</c>). An application "reached" a stage when it ever
    /// had one of these outcomes, whatever came after (an interview followed by a rejection still had an interview).
    /// </summary>
    public static IReadOnlyList<string> ReachedReply { get; } = [Replied, Screening, Interview, Offer, Hired];

    /// <summary>The stages that mean an application got an interview: <c>interview</c>, <c>offer</c> or <c>hired</c>.</summary>
    public static IReadOnlyList<string> ReachedInterview { get; } = [Interview, Offer, Hired];

    /// <summary>The stages that mean an application got an offer: <c>offer</c> or <c>hired</c>.</summary>
    public static IReadOnlyList<string> ReachedOffer { get; } = [Offer, Hired];

    public static bool IsKnown(string? stage) => stage is not null && All.Contains(stage, StringComparer.Ordinal);
}
