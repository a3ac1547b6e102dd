using Microsoft.Extensions.Options;

namespace LinkTracking.Application.Common.Options;

/// <summary>
/// Configuration section <c>ClickClassification</c>: every rule can be turned off, thresholds set, and extra agents and
/// networks declared scanner or human. docs/click-classification.md describes each rule.
/// </summary>
public sealed class ClickClassificationOptions
{
    public const string SectionName = "ClickClassification";

    /// <summary>HEAD/OPTIONS requests, and browser-like agents without a browser's headers.</summary>
    public bool RequestShapeRule { get; set; } = true;

    /// <summary>User-agent lists (isbot, crawler-user-agents, our own scanners/previews/monitors) and empty agents.</summary>
    public bool AgentRule { get; set; } = true;

    /// <summary>Network origin: datacenter and mail-security networks.</summary>
    public bool NetworkRule { get; set; } = true;

    /// <summary>A fetch soon after <c>sent_at</c> from a non-residential network.</summary>
    public bool TimingRule { get; set; } = true;

    /// <summary>One origin fetching several links of one application within a few seconds.</summary>
    public bool BurstRule { get; set; } = true;

    /// <summary>Whoever follows an application's hidden decoy link, and that origin's other clicks on it.</summary>
    public bool DecoyRule { get; set; } = true;

    /// <summary>How soon after <c>sent_at</c> a fetch from a non-residential network counts as a scanner's.</summary>
    [NonNegativeDuration(OptionLimits.MaxDuration, ErrorMessage = "ClickClassification:SoonAfterSend must not be negative (TimingRule=false turns the rule off).")]
    public TimeSpan SoonAfterSend { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>The window of a burst.</summary>
    [PositiveDuration(OptionLimits.MaxDuration, ErrorMessage = "ClickClassification:BurstWindow must be longer than zero (BurstRule=false turns the rule off).")]
    public TimeSpan BurstWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Distinct links of one application one origin must fetch within <see cref="BurstWindow"/> to be a burst.</summary>
    [Between(2, int.MaxValue, ErrorMessage = "ClickClassification:BurstMinLinks must be at least {1}.")]
    public int BurstMinLinks { get; set; } = 3;

    /// <summary>Clicks of a decoy's origin on the same application this long before or after the decoy hit are scanner clicks.</summary>
    [PositiveDuration(OptionLimits.MaxDuration, ErrorMessage = "ClickClassification:DecoyWindow must be longer than zero (DecoyRule=false turns the rule off).")]
    public TimeSpan DecoyWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often the reclassification sweep looks at newly stored clicks.</summary>
    [PositiveDuration(ErrorMessage = "ClickClassification:SweepInterval must be longer than zero and at most {2}.")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often each instance reloads the operator rules made by user labels (<c>scope: "origin"</c>); the instance
    /// that makes or deletes a rule applies it at once.
    /// </summary>
    public TimeSpan RuleRefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Extra ASNs whose addresses are scanners (e.g. a regional mail gateway).</summary>
    public IList<long> ScannerAsns { get; } = [];

    /// <summary>Extra ASNs that carry people (a corporate egress the tables call a datacenter).</summary>
    public IList<long> HumanAsns { get; } = [];

    /// <summary>Extra CIDR ranges whose addresses are scanners.</summary>
    public IList<string> ScannerCidrs { get; } = [];

    /// <summary>Extra CIDR ranges that carry people.</summary>
    public IList<string> HumanCidrs { get; } = [];

    /// <summary>Extra user-agent substrings (case-insensitive) of scanners.</summary>
    public IList<string> ScannerAgents { get; } = [];

    /// <summary>Extra user-agent substrings (case-insensitive) of people's browsers that a list would flag.</summary>
    public IList<string> HumanAgents { get; } = [];
}

/// <summary>Checks <see cref="ClickClassificationOptions"/> at start-up (source-generated from the data annotations).</summary>
[OptionsValidator]
public sealed partial class ClickClassificationOptionsValidator : IValidateOptions<ClickClassificationOptions>;
