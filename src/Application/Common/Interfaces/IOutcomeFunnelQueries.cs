namespace LinkTracking.Application.Common.Interfaces;

/// <summary>
/// Per-application facts of the links in a scope, counted by the database: which applications were fetched by
/// anything and opened by a person (from the link rollups, never the raw clicks), and which reached a reply, an
/// interview or an offer (from the outcomes, indexed by application and stage). Decoys are in no application's facts.
/// </summary>
public interface IOutcomeFunnelQueries
{
    /// <summary>
    /// The applications of the links in <paramref name="scope"/> (only those sent from <paramref name="sentFrom"/> on
    /// when given: their first link created then or later, with all their links), grouped by what their links saw and,
    /// per link function, by whether that function's link was opened by a person.
    /// </summary>
    Task<OutcomeFunnelFacts> GetAsync(LinkScope scope, DateTime? sentFrom, CancellationToken cancellationToken);
}

/// <summary>How many applications of a group there are, and how many of them reached each stage.</summary>
public sealed record OutcomeCounts(int Applications, int Replied, int Interview, int Offer)
{
    public static OutcomeCounts None { get; } = new(0, 0, 0, 0);

    public OutcomeCounts Plus(OutcomeCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(Applications + other.Applications, Replied + other.Replied, Interview + other.Interview, Offer + other.Offer);
    }
}

/// <summary>
/// The applications in scope split by engagement: <see cref="FetchedNoHuman"/> had clicks but none by a person,
/// <see cref="NotFetched"/> had none at all; <see cref="Functions"/> per link function (applications that were sent
/// a link of it), opened by a person or not.
/// </summary>
public sealed record OutcomeFunnelFacts(
    OutcomeCounts HumanClick,
    OutcomeCounts FetchedNoHuman,
    OutcomeCounts NotFetched,
    IReadOnlyList<FunctionEngagement> Functions)
{
    public static OutcomeFunnelFacts Empty { get; } = new(OutcomeCounts.None, OutcomeCounts.None, OutcomeCounts.None, []);
}

public sealed record FunctionEngagement(string LinkFunction, OutcomeCounts Opened, OutcomeCounts NotOpened);
