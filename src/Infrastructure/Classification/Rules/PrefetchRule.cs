using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Infrastructure.Classification.Rules;

/// <summary>
/// A request announced as a prefetch or preview (<c>Sec-Purpose</c>/<c>Purpose</c>/<c>X-Purpose</c>/<c>X-Moz</c>:
/// <c>prefetch</c>, <c>preview</c>): fetched ahead of, or instead of, a person's visit.
/// </summary>
public sealed class PrefetchRule(ClickClassificationOptions options) : IClickRule
{
    public string Signal => ClickSignals.Prefetch;

    public RuleOutcome Evaluate(in ClickEvidence evidence)
    {
        var purpose = evidence.Facts.Headers?.Purpose;
        return options.RequestShapeRule
            && purpose is not null
            && (purpose.Contains("prefetch", StringComparison.OrdinalIgnoreCase) || purpose.Contains("preview", StringComparison.OrdinalIgnoreCase))
            ? RuleOutcome.Bot(BotCategory.Preview)
            : RuleOutcome.None;
    }
}
