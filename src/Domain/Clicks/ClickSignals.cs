namespace LinkTracking.Domain.Clicks;

/// <summary>
/// Names of the classification rules that can fire for a click (stored in <c>signals</c>, the first of a bot's is
/// its <c>bot_reason</c>). docs/click-classification.md describes each.
/// </summary>
public static class ClickSignals
{
    /// <summary>HEAD or OPTIONS: a link checker, never a person following a link.</summary>
    public const string HeadRequest = "head_request";

    /// <summary>A browser-like agent without the headers browsers send (Accept-Language, Sec-Fetch-*, Accept with text/html).</summary>
    public const string MissingBrowserHeaders = "missing_browser_headers";

    /// <summary>A prefetch or preview request announced by a <c>Purpose</c>/<c>Sec-Purpose</c> header.</summary>
    public const string Prefetch = "prefetch";

    /// <summary>The user agent is on a maintained bot list or our own list of scanners, previews and monitors.</summary>
    public const string AgentList = "agent_list";

    /// <summary>No user agent at all: a script, not a browser.</summary>
    public const string EmptyAgent = "empty_agent";

    /// <summary>The address belongs to a hosting or cloud network that does not carry people.</summary>
    public const string DatacenterNetwork = "datacenter_network";

    /// <summary>The address belongs to a mail-security vendor's published ranges or networks.</summary>
    public const string ScannerNetwork = "scanner_network";

    /// <summary>Fetched within seconds of the email going out (<c>sent_at</c>) from a non-residential network.</summary>
    public const string SoonAfterSend = "soon_after_send";

    /// <summary>One origin fetched several links of the same application within a few seconds.</summary>
    public const string Burst = "burst";

    /// <summary>The origin followed the hidden decoy link of the application.</summary>
    public const string Decoy = "decoy";

    /// <summary>Operator configuration says this agent or network is a scanner.</summary>
    public const string Configured = "configured";

    /// <summary>A user corrected this click's verdict (<c>POST …/clicks/{click_id}/label</c>).</summary>
    public const string UserLabel = "user_label";

    /// <summary>An operator rule for the click's origin, made by labelling an earlier click with <c>scope: "origin"</c>.</summary>
    public const string OriginRule = "origin_rule";

    /// <summary>Longest stored list of signals (comma-separated).</summary>
    public const int MaxStoredLength = 200;

    /// <summary>Joins signal names for storage; the order is kept (the first is the main one).</summary>
    public static string? Join(IReadOnlyList<string> signals) => signals.Count == 0 ? null : string.Join(',', signals);

    public static IReadOnlyList<string> Split(string? stored) =>
        string.IsNullOrEmpty(stored) ? [] : stored.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
