using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Infrastructure.Classification.Rules;

/// <summary>
/// No user agent at all. Every browser sends one; on a link in an email an agent-less fetch is a link checker or a
/// script, so it counts as a scanner (a partner that drops agents should pass them on, or turn the rule off with
/// <c>AgentRule</c>).
/// </summary>
public sealed class EmptyAgentRule(ClickClassificationOptions options) : IClickRule
{
    public string Signal => ClickSignals.EmptyAgent;

    public RuleOutcome Evaluate(in ClickEvidence evidence) =>
        options.AgentRule && string.IsNullOrWhiteSpace(evidence.Facts.UserAgent)
            ? RuleOutcome.Bot(BotCategory.Scanner)
            : RuleOutcome.None;
}
