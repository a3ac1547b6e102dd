using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Infrastructure.Classification.Rules;

/// <summary>
/// The address is a cloud's or a host's. People rarely browse from there (remote desktops, some VPNs); scanners
/// with ordinary Chrome agents do all the time. So it decides (scanner) unless the request brought a browser's
/// complete headers, which a person's browser on a cloud desktop does; then it is only noted.
/// </summary>
public sealed class DatacenterNetworkRule(ClickClassificationOptions options) : IClickRule
{
    public string Signal => ClickSignals.DatacenterNetwork;

    public RuleOutcome Evaluate(in ClickEvidence evidence)
    {
        if (!options.NetworkRule || evidence.Network.Kind != NetworkKind.Datacenter)
        {
            return RuleOutcome.None;
        }

        return evidence.BrowserHeadersComplete == true ? RuleOutcome.Noted : RuleOutcome.Bot(BotCategory.Scanner);
    }
}
