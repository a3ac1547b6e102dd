using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Common;

namespace LinkTracking.Application.Analytics.Common;

/// <summary>One step of the funnel: how many applications reached it, and that as a share of those sent.</summary>
public sealed record FunnelStepDto(string Step, int Applications, double Rate);

/// <summary>
/// The interview and reply rates of a group of applications with their Wilson 95 % intervals ([low, high]);
/// <c>significant</c> when either rate's interval does not overlap that of the group it is compared with
/// (docs/outcomes.md).
/// </summary>
public sealed record EngagementGroupDto(
    string Group,
    int Applications,
    double InterviewRate,
    IReadOnlyList<double> InterviewRateCi95,
    double ReplyRate,
    IReadOnlyList<double> ReplyRateCi95,
    bool Significant);

/// <summary>
/// The applications that landed on one A/B variant of the links of one function (by their first human click on a
/// variant of such a link), their interview and reply rates with Wilson 95 % intervals, and <c>significant</c> when
/// either interval does not overlap that of the applications that landed on the function's other variants, pooled
/// (docs/outcomes.md).
/// </summary>
public sealed record VariantOutcomeDto(
    string LinkFunction,
    string Variant,
    int Applications,
    double InterviewRate,
    IReadOnlyList<double> InterviewRateCi95,
    double ReplyRate,
    IReadOnlyList<double> ReplyRateCi95,
    bool Significant);

/// <summary>The <c>funnel</c> and <c>engagement_vs_outcome</c> of a job summary and the report (docs/outcomes.md).</summary>
public static class OutcomeFunnel
{
    public const string Sent = "sent";
    public const string Fetched = "fetched";
    public const string OpenedByPerson = "opened_by_person";
    public const string Replied = "replied";
    public const string Interview = "interview";
    public const string Offer = "offer";
    public const string HumanClickGroup = "human_click";
    public const string NoHumanClickGroup = "no_human_click";
    public const string OpenedGroupPrefix = "opened:";

    /// <summary>Rates and interval bounds are rounded to this many decimals.</summary>
    public const int Decimals = 4;

    /// <summary>sent → fetched → opened by a person → replied → interview → offer; each rate is a share of <c>sent</c>.</summary>
    public static IReadOnlyList<FunnelStepDto> StepsOf(OutcomeFunnelFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var noHuman = facts.FetchedNoHuman.Plus(facts.NotFetched);
        var all = facts.HumanClick.Plus(noHuman);
        var sent = all.Applications;
        return
        [
            Step(Sent, sent),
            Step(Fetched, facts.HumanClick.Applications + facts.FetchedNoHuman.Applications),
            Step(OpenedByPerson, facts.HumanClick.Applications),
            Step(Replied, all.Replied),
            Step(Interview, all.Interview),
            Step(Offer, all.Offer),
        ];

        FunnelStepDto Step(string step, int applications) => new(step, applications, Round(new Proportion(applications, sent).Rate));
    }

    /// <summary>
    /// <c>human_click</c> and <c>no_human_click</c>, compared with each other; then <c>opened:&lt;function&gt;</c> per
    /// link function (by name), each compared with the applications that were sent that function's link but had no
    /// person open it.
    /// </summary>
    public static IReadOnlyList<EngagementGroupDto> EngagementOf(OutcomeFunnelFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var noHuman = facts.FetchedNoHuman.Plus(facts.NotFetched);
        var groups = new List<EngagementGroupDto>
        {
            Group(HumanClickGroup, facts.HumanClick, noHuman),
            Group(NoHumanClickGroup, noHuman, facts.HumanClick),
        };
        groups.AddRange(facts.Functions
            .OrderBy(f => f.LinkFunction, StringComparer.Ordinal)
            .Select(f => Group(OpenedGroupPrefix + f.LinkFunction, f.Opened, f.NotOpened)));
        return groups;
    }

    /// <summary>Per link function and variant (both by name), each variant compared with the function's other variants pooled.</summary>
    public static IReadOnlyList<VariantOutcomeDto> VariantOutcomesOf(IReadOnlyList<VariantOutcomeCounts> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return [.. counts
            .OrderBy(c => c.LinkFunction, StringComparer.Ordinal)
            .ThenBy(c => c.Variant, StringComparer.Ordinal)
            .Select(c =>
            {
                var others = counts
                    .Where(o => o.LinkFunction == c.LinkFunction && o.Variant != c.Variant)
                    .Aggregate(OutcomeCounts.None, (sum, o) => sum.Plus(o.Counts));
                var group = Group(c.Variant, c.Counts, others);
                return new VariantOutcomeDto(
                    c.LinkFunction, c.Variant, group.Applications, group.InterviewRate, group.InterviewRateCi95, group.ReplyRate, group.ReplyRateCi95, group.Significant);
            })];
    }

    private static EngagementGroupDto Group(string name, OutcomeCounts group, OutcomeCounts comparedWith)
    {
        var interview = new Proportion(group.Interview, group.Applications);
        var reply = new Proportion(group.Replied, group.Applications);
        var significant = interview.DiffersFrom(new Proportion(comparedWith.Interview, comparedWith.Applications))
            || reply.DiffersFrom(new Proportion(comparedWith.Replied, comparedWith.Applications));
        return new EngagementGroupDto(name, group.Applications, Round(interview.Rate), Interval(interview), Round(reply.Rate), Interval(reply), significant);
    }

    private static double[] Interval(Proportion proportion)
    {
        var (low, high) = proportion.Wilson95;
        return [Round(low), Round(high)];
    }

    private static double Round(double value) => Math.Round(value, Decimals, MidpointRounding.AwayFromZero);
}
