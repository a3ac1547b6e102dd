namespace LinkTracking.Application.Common.Interfaces;

/// <summary>
/// A link's clicks by A/B variant, read from the raw clicks on the partial <c>(tracking_id, variant)</c> index (the
/// rollups have no variant dimension; ADR 0025). Times are UTC; <c>from</c> is inclusive.
/// </summary>
public interface IVariantClickQueries
{
    /// <summary>Per variant key with clicks since <paramref name="from"/>: its clicks (bots too when <paramref name="includeBots"/>), human clicks and distinct sessions of those clicks.</summary>
    Task<IReadOnlyList<VariantClicks>> GetVariantClicksAsync(string trackingId, DateTime? from, bool includeBots, CancellationToken cancellationToken);
}

/// <param name="Key">The variant key.</param>
/// <param name="Clicks">Counted clicks (human, plus bots when asked).</param>
/// <param name="HumanClicks">Human clicks, always.</param>
/// <param name="UniqueSessions">Distinct session ids among the counted clicks (exact).</param>
public sealed record VariantClicks(string Key, int Clicks, int HumanClicks, int UniqueSessions);
