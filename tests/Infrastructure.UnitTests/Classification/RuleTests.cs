using System.Net;
using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
using LinkTracking.Infrastructure.Classification;
using LinkTracking.Infrastructure.Classification.Rules;

namespace LinkTracking.Infrastructure.UnitTests.Classification;

/// <summary>Each rule on its own, over hand-made evidence (no data files): what makes it fire, decide, or stay silent.</summary>
public sealed class RuleTests
{
    private static readonly ClickClassificationOptions Defaults = new();
    private static readonly ClickClassificationOptions AllOff = new() { RequestShapeRule = false, AgentRule = false, NetworkRule = false, TimingRule = false };

    private static ClickEvidence Evidence(
        string method = "GET",
        string? agent = Clicks.Chrome,
        NetworkKind network = NetworkKind.Unknown,
        AgentVerdict verdict = default,
        bool configuredNetwork = false,
        bool? headersComplete = true,
        ClientHeaders? headers = null,
        double? secondsAfterSend = 3600) =>
        new(
            new ClickFacts(method, IPAddress.Loopback, agent, headers ?? Clicks.ChromeHeaders(),
                Clicks.SentAt.AddSeconds(secondsAfterSend ?? 0), secondsAfterSend is null ? null : Clicks.SentAt),
            new NetworkInfo(64500, "Example", network),
            verdict,
            configuredNetwork,
            headersComplete);

    [TestCase("HEAD", true)]
    [TestCase("options", true)]
    [TestCase("GET", false)]
    public void HeadRequestRule_FiresOnHeadAndOptionsOnly(string method, bool fires)
    {
        var outcome = new HeadRequestRule(Defaults).Evaluate(Evidence(method));

        Assert.That(outcome.Fired, Is.EqualTo(fires));
        Assert.That(outcome.Decisive, Is.EqualTo(fires));
    }

    [Test]
    public void HeadRequestRule_WhenRequestShapeRuleOff_IsSilent()
    {
        Assert.That(new HeadRequestRule(AllOff).Evaluate(Evidence("HEAD")).Fired, Is.False);
    }

    [TestCase(false, true)]
    [TestCase(true, false)]
    [TestCase(null, false)]
    public void MissingBrowserHeadersRule_FiresOnlyWhenHeadersWereSeenIncomplete(bool? complete, bool fires)
    {
        var outcome = new MissingBrowserHeadersRule(Defaults).Evaluate(Evidence(headersComplete: complete));

        Assert.That(outcome.Fired, Is.EqualTo(fires));
        Assert.That(new MissingBrowserHeadersRule(AllOff).Evaluate(Evidence(headersComplete: false)).Fired, Is.False);
    }

    [Test]
    public void PrefetchRule_WhenPurposePrefetch_IsPreview()
    {
        var outcome = new PrefetchRule(Defaults).Evaluate(Evidence(headers: Clicks.ChromeHeaders() with { Purpose = "prefetch;prerender" }));

        Assert.That(outcome, Is.EqualTo(RuleOutcome.Bot(BotCategory.Preview)));
        Assert.That(new PrefetchRule(Defaults).Evaluate(Evidence()).Fired, Is.False);
        Assert.That(new PrefetchRule(AllOff).Evaluate(Evidence(headers: Clicks.ChromeHeaders() with { Purpose = "prefetch" })).Fired, Is.False);
    }

    [TestCase(BotCategory.Monitor)]
    [TestCase(BotCategory.Crawler)]
    public void AgentListRule_TakesTheListedCategory(BotCategory category)
    {
        var outcome = new AgentListRule(Defaults).Evaluate(Evidence(verdict: new AgentVerdict(category, false, false)));

        Assert.That(outcome, Is.EqualTo(RuleOutcome.Bot(category)));
        Assert.That(new AgentListRule(Defaults).Evaluate(Evidence()).Fired, Is.False);
        Assert.That(new AgentListRule(AllOff).Evaluate(Evidence(verdict: new AgentVerdict(category, false, false))).Fired, Is.False);
    }

    [TestCase(null, true)]
    [TestCase("", true)]
    [TestCase("x", false)]
    public void EmptyAgentRule_FiresWithoutAnAgent(string? agent, bool fires)
    {
        Assert.That(new EmptyAgentRule(Defaults).Evaluate(Evidence(agent: agent)).Fired, Is.EqualTo(fires));
        Assert.That(new EmptyAgentRule(AllOff).Evaluate(Evidence(agent: agent)).Fired, Is.False);
    }

    [Test]
    public void ConfiguredRule_FiresForConfiguredAgentOrNetwork_EachUnderItsOwnSwitch()
    {
        var agentOnly = new ClickClassificationOptions { NetworkRule = false };
        var networkOnly = new ClickClassificationOptions { AgentRule = false };
        var byAgent = Evidence(verdict: new AgentVerdict(null, false, true));
        var byNetwork = Evidence(configuredNetwork: true);

        Assert.That(new ConfiguredRule(Defaults).Evaluate(byAgent), Is.EqualTo(RuleOutcome.Bot(BotCategory.Scanner)));
        Assert.That(new ConfiguredRule(Defaults).Evaluate(byNetwork), Is.EqualTo(RuleOutcome.Bot(BotCategory.Scanner)));
        Assert.That(new ConfiguredRule(agentOnly).Evaluate(byNetwork).Fired, Is.False);
        Assert.That(new ConfiguredRule(networkOnly).Evaluate(byAgent).Fired, Is.False);
    }

    [Test]
    public void ScannerNetworkRule_FiresForVendorNetworksNotConfiguredOnes()
    {
        Assert.That(new ScannerNetworkRule(Defaults).Evaluate(Evidence(network: NetworkKind.Scanner)).Decisive, Is.True);
        Assert.That(new ScannerNetworkRule(Defaults).Evaluate(Evidence(network: NetworkKind.Scanner, configuredNetwork: true)).Fired, Is.False);
        Assert.That(new ScannerNetworkRule(Defaults).Evaluate(Evidence(network: NetworkKind.HumanEgress)).Fired, Is.False);
        Assert.That(new ScannerNetworkRule(AllOff).Evaluate(Evidence(network: NetworkKind.Scanner)).Fired, Is.False);
    }

    [TestCase(true, false)]
    [TestCase(false, true)]
    [TestCase(null, true)]
    public void DatacenterNetworkRule_DecidesUnlessCompleteHeaders(bool? complete, bool decisive)
    {
        var outcome = new DatacenterNetworkRule(Defaults).Evaluate(Evidence(network: NetworkKind.Datacenter, headersComplete: complete));

        Assert.That(outcome.Fired, Is.True);
        Assert.That(outcome.Decisive, Is.EqualTo(decisive));
    }

    [TestCase(NetworkKind.HumanEgress)]
    [TestCase(NetworkKind.Unknown)]
    public void DatacenterNetworkRule_IgnoresPeoplesNetworks(NetworkKind kind)
    {
        Assert.That(new DatacenterNetworkRule(Defaults).Evaluate(Evidence(network: kind, headersComplete: null)).Fired, Is.False);
    }

    [TestCase(NetworkKind.Datacenter, true, 30, true)]
    [TestCase(NetworkKind.Scanner, true, 119, true)]
    [TestCase(NetworkKind.Datacenter, true, 121, false)]
    [TestCase(NetworkKind.Datacenter, true, -200, true)]
    [TestCase(NetworkKind.Datacenter, true, -400, false)]
    [TestCase(NetworkKind.Unknown, true, 5, false)]
    [TestCase(NetworkKind.HumanEgress, true, 5, false)]
    [TestCase(NetworkKind.Unknown, false, 5, true)]
    public void SoonAfterSendRule_NeedsTheWindowAndAMachineSign(NetworkKind kind, bool? complete, double seconds, bool fires)
    {
        var evidence = Evidence(network: kind, headersComplete: complete, secondsAfterSend: seconds);

        Assert.That(new SoonAfterSendRule(Defaults).Evaluate(evidence).Fired, Is.EqualTo(fires));
    }

    [Test]
    public void SoonAfterSendRule_WithoutSentAt_IsSilent()
    {
        var evidence = Evidence(network: NetworkKind.Datacenter, secondsAfterSend: null);
        var noSentAt = evidence with { Facts = evidence.Facts with { SentAt = null } };

        Assert.That(new SoonAfterSendRule(Defaults).Evaluate(noSentAt).Fired, Is.False);
        Assert.That(new SoonAfterSendRule(AllOff).Evaluate(Evidence(network: NetworkKind.Datacenter, secondsAfterSend: 1)).Fired, Is.False);
    }
}
