using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Infrastructure.Classification.Rules;

/// <summary>
/// A browser-like agent without a browser's headers (<see cref="BrowserHeaders"/>): a script or a scanner wearing a
/// Chrome agent. Silent when the headers were not seen (a partner's click without <c>headers</c>).
/// </summary>
public sealed class MissingBrowserHeadersRule(ClickClassificationOptions options) : IClickRule
{
    public string Signal => ClickSignals.MissingBrowserHeaders;

    public RuleOutcome Evaluate(in ClickEvidence evidence) =>
        options.RequestShapeRule && evidence.BrowserHeadersComplete == false ? RuleOutcome.Bot(BotCategory.Scanner) : RuleOutcome.None;
}
