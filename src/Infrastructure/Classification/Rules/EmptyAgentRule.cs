using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Infrastructure.Classification.Rules;

/// <summary>
/// No user agent at all on a request we saw. Every browser sends one; on a link in an email an agent-less fetch is a
/// link checker or a script, so it counts as a scanner. A partner's click without <c>user_agent</c> and without
/// <c>headers</c> is a request we did not see: its agent is unknown, not empty, and the rule stays silent.
/// </summary>
public sealed class EmptyAgentRule(ClickClassificationOptions options) : IClickRule
{
    public string Signal => ClickSignals.EmptyAgent;

    public RuleOutcome Evaluate(in ClickEvidence evidence) =>
        options.AgentRule && evidence.Facts.Headers is not null && string.IsNullOrWhiteSpace(evidence.Facts.UserAgent)
            ? RuleOutcome.Bot(BotCategory.Scanner)
            : RuleOutcome.None;
}
