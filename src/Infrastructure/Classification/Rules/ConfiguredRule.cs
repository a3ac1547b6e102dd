using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Infrastructure.Classification.Rules;

/// <summary>
/// The operator said so: the agent holds one of <c>ScannerAgents</c> (with <c>AgentRule</c> on), or the address is
/// in <c>ScannerCidrs</c>/<c>ScannerAsns</c> (with <c>NetworkRule</c> on) and not also in the human ones.
/// </summary>
public sealed class ConfiguredRule(ClickClassificationOptions options) : IClickRule
{
    public string Signal => ClickSignals.Configured;

    public RuleOutcome Evaluate(in ClickEvidence evidence) =>
        (options.AgentRule && evidence.Agent.ConfiguredScanner) || (options.NetworkRule && evidence.ConfiguredScannerNetwork)
            ? RuleOutcome.Bot(BotCategory.Scanner)
            : RuleOutcome.None;
}
