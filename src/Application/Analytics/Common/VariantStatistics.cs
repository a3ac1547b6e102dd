using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Common;
using LinkTracking.Domain.Links;

namespace LinkTracking.Application.Analytics.Common;

/// <summary>
/// One A/B variant of a link in its analytics. <c>rate</c> is the variant's share of the link's human clicks on
/// variants (human_clicks ÷ the sum over all variants), <c>rate_ci95</c> its Wilson 95 % interval, and
/// <c>expected_rate</c> the share its weight asks for (weight ÷ sum of weights; null for a variant removed since).
/// Visitors are split by weight, so a share well above <c>expected_rate</c> means the variant's visitors come back
/// more often: <c>significant</c> is true when the interval leaves out <c>expected_rate</c> — the funnel's
/// non-overlap rule against a known value (ADR 0025).
/// </summary>
public sealed record VariantStatisticsDto(
    int Clicks,
    int UniqueSessions,
    int HumanClicks,
    double Rate,
    IReadOnlyList<double> RateCi95,
    double? ExpectedRate,
    bool Significant);

public static class VariantStatistics
{
    /// <summary>The link's variants (current ones first, in order, then keys seen only in clicks); null for a link that never had any.</summary>
    public static IReadOnlyDictionary<string, VariantStatisticsDto>? For(LinkVariants? variants, IReadOnlyList<VariantClicks> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (variants is null && counts.Count == 0)
        {
            return null;
        }

        var current = variants?.Items ?? [];
        var totalWeight = current.Sum(v => v.Weight);
        var totalHuman = counts.Sum(c => (long)c.HumanClicks);
        var keys = current.Select(v => v.Key).Concat(counts.Select(c => c.Key)).Distinct(StringComparer.Ordinal);
        var result = new Dictionary<string, VariantStatisticsDto>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var count = counts.FirstOrDefault(c => c.Key == key) ?? new VariantClicks(key, 0, 0, 0);
            var weight = current.FirstOrDefault(v => v.Key == key)?.Weight;
            double? expected = weight is { } w ? (double)w / totalWeight : null;
            var share = new Proportion(count.HumanClicks, totalHuman);
            var (low, high) = share.Wilson95;
            var significant = expected is { } e && share.Trials > 0 && (high < e || low > e);
            result[key] = new VariantStatisticsDto(
                count.Clicks, count.UniqueSessions, count.HumanClicks, Math.Round(share.Rate, 4), [Math.Round(low, 4), Math.Round(high, 4)],
                expected is null ? null : Math.Round(expected.Value, 4), significant);
        }

        return result;
    }

    /// <summary>The <c>variants</c> of a summary: per link with variants (by tracking id), its breakdown as in the link's analytics.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, VariantStatisticsDto>> ForLinks(IReadOnlyList<LinkVariantClicks> links)
    {
        ArgumentNullException.ThrowIfNull(links);
        var result = new SortedDictionary<string, IReadOnlyDictionary<string, VariantStatisticsDto>>(StringComparer.Ordinal);
        foreach (var link in links)
        {
            if (For(link.Variants, link.Clicks) is { } variants)
            {
                result[link.TrackingId] = variants;
            }
        }

        return result;
    }
}
