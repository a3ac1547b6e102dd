using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Infrastructure.Classification.Rules;

/// <summary>
/// Fetched within <c>SoonAfterSend</c> of the email going out from a network that carries no people (datacenter or
/// mail-security), or without a browser's headers: gateways scan on delivery, people read later. A click a little
/// before <c>sent_at</c> (the sender's clock runs ahead, up to <see cref="ClockSkew"/>) counts as soon too.
/// </summary>
public sealed class SoonAfterSendRule(ClickClassificationOptions options) : IClickRule
{
    /// <summary>How far before <c>sent_at</c> a click may be and still count (<c>sent_at</c> may be 5 minutes ahead).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public string Signal => ClickSignals.SoonAfterSend;

    public RuleOutcome Evaluate(in ClickEvidence evidence)
    {
        if (!options.TimingRule || evidence.Facts.SentAt is not { } sentAt)
        {
            return RuleOutcome.None;
        }

        var delay = evidence.Facts.ClickedAt - sentAt;
        if (delay < -ClockSkew || delay > options.SoonAfterSend)
        {
            return RuleOutcome.None;
        }

        var machineNetwork = evidence.Network.Kind is NetworkKind.Datacenter or NetworkKind.Scanner || evidence.ConfiguredScannerNetwork;
        return machineNetwork || evidence.BrowserHeadersComplete == false ? RuleOutcome.Bot(BotCategory.Scanner) : RuleOutcome.None;
    }
}
