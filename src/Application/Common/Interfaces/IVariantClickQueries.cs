using LinkTracking.Domain.Links;

namespace LinkTracking.Application.Common.Interfaces;

/// <summary>
/// A link's clicks by A/B variant, read from the raw clicks on the partial <c>(tracking_id, variant)</c> index (the
/// rollups have no variant dimension; ADR 0025). Times are UTC; <c>from</c> is inclusive.
/// </summary>
public interface IVariantClickQueries
{
    /// <summary>Per variant key with clicks since <paramref name="from"/>: its clicks (bots too when <paramref name="includeBots"/>), human clicks and distinct sessions of those clicks.</summary>
    Task<IReadOnlyList<VariantClicks>> GetVariantClicksAsync(string trackingId, DateTime? from, bool includeBots, CancellationToken cancellationToken);

    /// <summary>
    /// All time, every link in <paramref name="scope"/> that has variants or clicks on one, with its current variants
    /// and its clicks per variant key: one grouped read for all the links, not one per link.
    /// </summary>
    Task<IReadOnlyList<LinkVariantClicks>> GetScopeVariantClicksAsync(LinkScope scope, bool includeBots, CancellationToken cancellationToken);

    /// <summary>
    /// Per link function and variant key, the applications of the links in <paramref name="scope"/> (only those sent
    /// from <paramref name="sentFrom"/> on when given: no link of theirs created before it) whose first human click on a variant of a link of that
    /// function landed on that variant, and how many of them reached a reply, an interview or an offer (docs/outcomes.md).
    /// </summary>
    Task<IReadOnlyList<VariantOutcomeCounts>> GetVariantOutcomesAsync(LinkScope scope, DateTime? sentFrom, CancellationToken cancellationToken);
}

/// <param name="TrackingId">The link.</param>
/// <param name="Variants">Its current variants; null when they were removed since its variant clicks.</param>
/// <param name="Clicks">Its clicks per variant key, by key.</param>
public sealed record LinkVariantClicks(string TrackingId, LinkVariants? Variants, IReadOnlyList<VariantClicks> Clicks);

/// <summary>The applications that landed on one variant of the links of one function, and their outcomes.</summary>
public sealed record VariantOutcomeCounts(string LinkFunction, string Variant, OutcomeCounts Counts);

/// <param name="Key">The variant key.</param>
/// <param name="Clicks">Counted clicks (human, plus bots when asked).</param>
/// <param name="HumanClicks">Human clicks, always.</param>
/// <param name="UniqueSessions">Distinct session ids among the counted clicks (exact).</param>
public sealed record VariantClicks(string Key, int Clicks, int HumanClicks, int UniqueSessions);
