using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
using LinkTracking.Infrastructure.Classification.Rules;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Classification;

/// <summary>
/// Classifies a click as it arrives. Gathers the evidence once (network, agent lists, browser headers), runs the
/// rules in precedence order and takes the category of the first decisive one:
/// agent_list (its list's category) &gt; configured, scanner_network (scanner) &gt; prefetch (preview) &gt;
/// head_request, empty_agent, missing_browser_headers, soon_after_send, datacenter_network (scanner).
/// Signals are listed in that order, so the first is the main reason. A click no rule decides is human, possibly
/// with noted signals (a datacenter address with a browser's complete headers).
/// </summary>
public sealed class ClickClassifier : IClickClassifier
{
    private readonly INetworkLookup _networks;
    private readonly AgentMatcher _agents;
    private readonly ConfiguredNetworks _configured;
    private readonly ClickClassificationOptions _options;
    private readonly IClickRule[] _rules;

    public ClickClassifier(INetworkLookup networks, AgentMatcher agents, IOptions<ClickClassificationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _networks = networks;
        _agents = agents;
        _options = options.Value;
        _configured = new ConfiguredNetworks(_options);
        _rules =
        [
            new AgentListRule(_options),
            new ConfiguredRule(_options),
            new ScannerNetworkRule(_options),
            new PrefetchRule(_options),
            new HeadRequestRule(_options),
            new EmptyAgentRule(_options),
            new MissingBrowserHeadersRule(_options),
            new SoonAfterSendRule(_options),
            new DatacenterNetworkRule(_options),
        ];
    }

    public ClickClassification Classify(ClickFacts facts) => Decide(Gather(facts));

    /// <summary>The evidence the rules read, worked out once.</summary>
    public ClickEvidence Gather(ClickFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var network = NetworkInfo.Unknown;
        var configuredScanner = false;
        if (facts.IpAddress is { } address && (_options.NetworkRule || _options.TimingRule))
        {
            network = _networks.Lookup(address);
            var key = CidrRange.ToKey(address);
            configuredScanner = _configured.IsScanner(key, network.Asn) && !_configured.IsHuman(key, network.Asn);
        }

        var agent = _options.AgentRule || _options.RequestShapeRule ? _agents.Match(facts.UserAgent) : AgentVerdict.None;
        var headers = BrowserHeaders.Complete(
            facts.UserAgent, facts.Headers, agent.HumanApp, agent.InAppBrowser, holdSafariToFetchMetadata: network.Kind == NetworkKind.Datacenter);
        return new ClickEvidence(facts, network, agent, configuredScanner, headers);
    }

    public ClickClassification Decide(in ClickEvidence evidence)
    {
        List<string>? signals = null;
        var category = BotCategory.Human;
        foreach (var rule in _rules)
        {
            var outcome = rule.Evaluate(evidence);
            if (!outcome.Fired)
            {
                continue;
            }

            (signals ??= new List<string>(3)).Add(rule.Signal);
            if (outcome.Decisive && category == BotCategory.Human)
            {
                category = outcome.Category;
            }
        }

        if (signals is null)
        {
            return ClickClassification.Human;
        }

        // A human's noted signals are listed; a bot's main reason is the first decisive rule, which the order puts first
        // unless a noted signal came before it (only datacenter_network can be noted, and it comes last).
        return new ClickClassification(category, signals);
    }
}
