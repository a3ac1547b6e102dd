using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Infrastructure.Classification.Rules;

/// <summary>
/// The address is a mail-security vendor's (Proofpoint, Mimecast, Barracuda, IronPort…): those networks fetch links
/// on delivery and carry no people, so this decides on its own. Addresses the operator configured are reported by
/// <see cref="ConfiguredRule"/> instead.
/// </summary>
public sealed class ScannerNetworkRule(ClickClassificationOptions options) : IClickRule
{
    public string Signal => ClickSignals.ScannerNetwork;

    public RuleOutcome Evaluate(in ClickEvidence evidence) =>
        options.NetworkRule && evidence.Network.Kind == NetworkKind.Scanner && !evidence.ConfiguredScannerNetwork
            ? RuleOutcome.Bot(BotCategory.Scanner)
            : RuleOutcome.None;
}
