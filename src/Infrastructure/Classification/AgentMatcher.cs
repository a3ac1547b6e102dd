using System.Buffers;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Classification;

/// <summary>What the user-agent lists say of an agent.</summary>
/// <param name="Listed">The category of a list that names the agent as a bot, or null.</param>
/// <param name="HumanApp">The agent is on a human list (an in-app browser, or the operator's <c>HumanAgents</c>).</param>
/// <param name="ConfiguredScanner">The agent holds one of the operator's <c>ScannerAgents</c>.</param>
public readonly record struct AgentVerdict(BotCategory? Listed, bool HumanApp, bool ConfiguredScanner)
{
    public static AgentVerdict None => default;
}

/// <summary>
/// Matches an agent against the lists, in order: the operator's human agents (silence every list), our own scanner,
/// preview and monitor lists, our own human list (silences the public lists), isbot, crawler-user-agents.
/// No state per call and no cache: the compiled searches are shared by all threads.
/// </summary>
public sealed class AgentMatcher
{
    private readonly AgentLists _lists;
    private readonly SearchValues<string>? _configuredScanner;
    private readonly SearchValues<string>? _configuredHuman;

    public AgentMatcher(IOptions<ClickClassificationOptions> options)
        : this(options, ClassificationData.DefaultDirectory)
    {
    }

    public AgentMatcher(IOptions<ClickClassificationOptions> options, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        _lists = AgentLists.Shared(dataDirectory);
        _configuredScanner = AgentLists.Search(options.Value.ScannerAgents);
        _configuredHuman = AgentLists.Search(options.Value.HumanAgents);
    }

    public AgentVerdict Match(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return AgentVerdict.None;
        }

        var agent = userAgent.AsSpan();
        var configuredScanner = Contains(agent, _configuredScanner);
        if (Contains(agent, _configuredHuman))
        {
            return new AgentVerdict(null, true, configuredScanner);
        }

        BotCategory? own = Contains(agent, _lists.OwnScanner) ? BotCategory.Scanner
            : Contains(agent, _lists.OwnPreview) ? BotCategory.Preview
            : Contains(agent, _lists.OwnMonitor) ? BotCategory.Monitor
            : null;
        if (own is not null)
        {
            return new AgentVerdict(own, false, configuredScanner);
        }

        if (Contains(agent, _lists.OwnHuman))
        {
            return new AgentVerdict(null, true, configuredScanner);
        }

        return new AgentVerdict(PublicLists(WithoutDeviceModel(userAgent)), false, configuredScanner);
    }

    private BotCategory? PublicLists(string agent)
    {
        if (_lists.CrawlerAny.IsMatch(agent))
        {
            foreach (var (pattern, category) in _lists.CrawlerByCategory)
            {
                if (pattern.IsMatch(agent))
                {
                    return category;
                }
            }
        }

        return _lists.Isbot.IsMatch(agent) ? BotCategory.Crawler : null;
    }

    /// <summary>
    /// An Android browser's agent with its device model blanked: phones are named "Cubot", "Robot", "NIMBOT X"…
    /// and the lists must judge the software, not the handset's name (token, not substring).
    /// <c>Mozilla/5.0 (Linux; Android 13; NIMBOT X Build/TP1A) …</c> → <c>Mozilla/5.0 (Linux; Android 13; K) …</c>.
    /// </summary>
    public static string WithoutDeviceModel(string agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var android = agent.IndexOf("; Android ", StringComparison.Ordinal);
        if (android < 0 || !agent.StartsWith("Mozilla/5.0 (Linux", StringComparison.Ordinal))
        {
            return agent;
        }

        var modelStart = agent.IndexOf("; ", android + 10, StringComparison.Ordinal);
        var close = agent.IndexOf(')', android);
        if (modelStart < 0 || close < 0 || modelStart > close)
        {
            return agent;
        }

        // The model is the last ';'-separated part before ')' (some agents put a locale first: "Android 9; en-us; SM-G960F").
        var lastSeparator = agent.LastIndexOf("; ", close, close - android, StringComparison.Ordinal);
        modelStart = lastSeparator + 2;
        return string.Concat(agent.AsSpan(0, modelStart), "K", agent.AsSpan(close));
    }

    private static bool Contains(ReadOnlySpan<char> agent, SearchValues<string>? values) => values is not null && agent.IndexOfAny(values) >= 0;
}
