using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Infrastructure.Classification.Rules;

/// <summary>The agent is on a list (<see cref="AgentMatcher"/>); the list decides the category.</summary>
public sealed class AgentListRule(ClickClassificationOptions options) : IClickRule
{
    public string Signal => ClickSignals.AgentList;

    public RuleOutcome Evaluate(in ClickEvidence evidence) =>
        options.AgentRule && evidence.Agent.Listed is { } category ? RuleOutcome.Bot(category) : RuleOutcome.None;
}
