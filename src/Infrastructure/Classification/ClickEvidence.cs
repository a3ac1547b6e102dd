using LinkTracking.Application.Clicks.Classification;

namespace LinkTracking.Infrastructure.Classification;

/// <summary>
/// What the classifier worked out once per click and its rules read: the facts, the network, what the agent lists
/// say, whether the operator declared the network a scanner, and whether a browser-like agent brought a browser's
/// headers (null when that cannot be judged: no headers seen, or not a browser-like agent).
/// </summary>
public readonly record struct ClickEvidence(
    ClickFacts Facts,
    NetworkInfo Network,
    AgentVerdict Agent,
    bool ConfiguredScannerNetwork,
    bool? BrowserHeadersComplete);
