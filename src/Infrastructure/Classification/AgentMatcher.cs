using System.Buffers;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Classification;

/// <summary>What the user-agent lists say of an agent.</summary>
/// <param name="Listed">The category of a list that names the agent as a bot, or null.</param>
/// <param name="HumanApp">The agent is on a human list (an in-app browser, or the operator's <c>HumanAgents</c>).</param>
/// <param name="ConfiguredScanner">The agent holds one of the operator's <c>ScannerAgents</c>.</param>
/// <param name="InAppBrowser">An app's in-app browser or an Android WebView (<see cref="InAppBrowsers"/>): a person when the request is a navigation with a browser's headers.</param>
public readonly record struct AgentVerdict(BotCategory? Listed, bool HumanApp, bool ConfiguredScanner, bool InAppBrowser = false)
{
    public static AgentVerdict None => default;
}

/// <summary>
/// Matches an agent against the lists, in order: the operator's human agents (silence every list), our own scanner
/// list, in-app browsers (<see cref="InAppBrowsers"/>: silence every list below, so a list entry written for an app's
/// fetcher or for one device build never wins over the app's browser), our own preview and monitor lists, our own
/// human list (silences the public lists), isbot, crawler-user-agents.
/// The compiled searches are shared by all threads. Verdicts are kept in a small lossy cache (a fixed array indexed
/// by the agent's hash, <see cref="DefaultCacheSize"/> entries of agents up to <see cref="MaxCachedAgentLength"/>
/// characters): real traffic repeats a few hundred agents, and a hit costs a hash and a compare.
/// </summary>
public sealed class AgentMatcher
{
    public const int DefaultCacheSize = 8192;
    public const int MaxCachedAgentLength = 512;

    private readonly AgentLists _lists;
    private readonly CachedVerdict?[] _cache;
    private readonly SearchValues<string>? _configuredScanner;
    private readonly SearchValues<string>? _configuredHuman;

    public AgentMatcher(IOptions<ClickClassificationOptions> options)
        : this(options, ClassificationData.DefaultDirectory)
    {
    }

    /// <param name="options">The operator's extra agents.</param>
    /// <param name="dataDirectory">Where the lists are.</param>
    /// <param name="cacheSize">Cached verdicts, a power of two; 0 for none.</param>
    public AgentMatcher(IOptions<ClickClassificationOptions> options, string dataDirectory, int cacheSize = DefaultCacheSize)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(cacheSize);
        if (cacheSize != 0 && !int.IsPow2(cacheSize))
        {
            throw new ArgumentOutOfRangeException(nameof(cacheSize), cacheSize, "a power of two");
        }

        _cache = new CachedVerdict?[cacheSize];
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

        if (_cache.Length == 0 || userAgent.Length > MaxCachedAgentLength)
        {
            return Evaluate(userAgent);
        }

        var slot = userAgent.GetHashCode() & (_cache.Length - 1);
        var cached = Volatile.Read(ref _cache[slot]);
        if (cached is not null && string.Equals(cached.Agent, userAgent, StringComparison.Ordinal))
        {
            return cached.Verdict;
        }

        var verdict = Evaluate(userAgent);
        Volatile.Write(ref _cache[slot], new CachedVerdict(userAgent, verdict));
        return verdict;
    }

    private AgentVerdict Evaluate(string userAgent)
    {
        var agent = userAgent.AsSpan();
        var configuredScanner = Contains(agent, _configuredScanner);
        if (Contains(agent, _configuredHuman))
        {
            return new AgentVerdict(null, true, configuredScanner);
        }

        // One prefilter pass answers for every list; the public lists judge the agent with its device model blanked,
        // which for most agents (all but Android browsers) is the agent itself.
        var judged = WithoutDeviceModel(userAgent);
        var same = ReferenceEquals(judged, userAgent);
        var hits = _lists.Find(userAgent, (same ? ListHits.All : ListHits.Own) | ListHits.InApp);
        if (hits.HasFlag(ListHits.OwnScanner))
        {
            return new AgentVerdict(BotCategory.Scanner, false, configuredScanner);
        }

        if (InAppBrowsers.IsInAppBrowser(userAgent, hits.HasFlag(ListHits.InAppToken), hits.HasFlag(ListHits.RobotWord)))
        {
            return new AgentVerdict(null, true, configuredScanner, InAppBrowser: true);
        }

        if (hits.HasFlag(ListHits.OwnPreview))
        {
            return new AgentVerdict(BotCategory.Preview, false, configuredScanner);
        }

        if (hits.HasFlag(ListHits.OwnMonitor))
        {
            return new AgentVerdict(BotCategory.Monitor, false, configuredScanner);
        }

        if (hits.HasFlag(ListHits.OwnHuman))
        {
            return new AgentVerdict(null, true, configuredScanner);
        }

        var publicHits = same ? hits : _lists.Find(judged, ListHits.Public);
        BotCategory? listed = publicHits.HasFlag(ListHits.CrawlerPreview) ? BotCategory.Preview
            : publicHits.HasFlag(ListHits.CrawlerMonitor) ? BotCategory.Monitor
            : publicHits.HasFlag(ListHits.CrawlerScanner) ? BotCategory.Scanner
            : (publicHits & (ListHits.Crawler | ListHits.Isbot)) != 0 ? BotCategory.Crawler
            : null;
        return new AgentVerdict(listed, false, configuredScanner);
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

    private sealed record CachedVerdict(string Agent, AgentVerdict Verdict);

    private static bool Contains(ReadOnlySpan<char> agent, SearchValues<string>? values) => values is not null && agent.IndexOfAny(values) >= 0;
}
