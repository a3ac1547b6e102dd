using System.Buffers;
using System.Text.Json;
using System.Text.RegularExpressions;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Infrastructure.Classification;

/// <summary>
/// The user-agent lists, compiled once per process and data folder: isbot's combined pattern (Unlicense), the
/// crawler-user-agents patterns (MIT) grouped by the category their tags give, and our own substring lists
/// (<c>agents.json</c>) as vectorised multi-string searches.
/// </summary>
public sealed partial class AgentLists
{
    private static readonly PerDirectoryCache<AgentLists> Cache = new(Load);

    /// <summary>crawler-user-agents tags that name a category other than crawler; checked in this order.</summary>
    private static readonly (string Tag, BotCategory Category)[] TagCategories =
    [
        ("social-preview", BotCategory.Preview),
        ("monitoring", BotCategory.Monitor),
        ("scanner", BotCategory.Scanner),
    ];

    private AgentLists(
        Regex isbot,
        Regex? isbotPrefilter,
        PatternSet crawlerAny,
        (PatternSet Patterns, BotCategory Category)[] crawlerByCategory,
        SearchValues<string>? ownScanner,
        SearchValues<string>? ownPreview,
        SearchValues<string>? ownMonitor,
        SearchValues<string>? ownHuman,
        SearchValues<string>? ownAny)
    {
        Isbot = isbot;
        IsbotPrefilter = isbotPrefilter;
        CrawlerAny = crawlerAny;
        CrawlerByCategory = crawlerByCategory;
        OwnScanner = ownScanner;
        OwnPreview = ownPreview;
        OwnMonitor = ownMonitor;
        OwnHuman = ownHuman;
        OwnAny = ownAny;
    }

    /// <summary>isbot's pattern as the package writes it (look-behinds and all): exact, but a backtracking engine.</summary>
    public Regex Isbot { get; }

    /// <summary>
    /// isbot's pattern without its look-arounds, on the non-backtracking engine: it matches everything the exact
    /// pattern matches and a little more, in linear time. Only its hits go on to <see cref="Isbot"/>. Null when the
    /// pattern does not fit the engine (then every agent goes to <see cref="Isbot"/>).
    /// </summary>
    public Regex? IsbotPrefilter { get; }

    /// <summary>Every crawler-user-agents pattern: one check for "is any of them in the agent".</summary>
    public PatternSet CrawlerAny { get; }

    /// <summary>The same patterns by the category their tags give, preview/monitor/scanner before crawler.</summary>
    public IReadOnlyList<(PatternSet Patterns, BotCategory Category)> CrawlerByCategory { get; }

    public SearchValues<string>? OwnScanner { get; }

    public SearchValues<string>? OwnPreview { get; }

    public SearchValues<string>? OwnMonitor { get; }

    public SearchValues<string>? OwnHuman { get; }

    /// <summary>Every token of our own lists: one scan tells whether any of the four lists needs a look.</summary>
    public SearchValues<string>? OwnAny { get; }

    public static AgentLists Shared(string directory) => Cache.Get(directory);

    public static AgentLists Load(string directory)
    {
        var isbotPath = ClassificationData.RequireFile(directory, ClassificationData.IsbotPatternFile);
        var crawlerPath = ClassificationData.RequireFile(directory, ClassificationData.CrawlerUserAgentsFile);
        var agentsPath = ClassificationData.RequireFile(directory, ClassificationData.AgentsFile);

        var isbotSource = File.ReadAllText(isbotPath).Trim();
        if (isbotSource.Length == 0)
        {
            throw ClassificationData.Corrupt(isbotPath, "empty pattern");
        }

        Regex isbot;
        try
        {
            // isbot's pattern uses look-behinds, which the non-backtracking engine lacks; it is written to match case-insensitively.
            isbot = new Regex(isbotSource, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);
            isbot.IsMatch("Mozilla/5.0 (warm-up: compile the matcher now, not on the first click)");
        }
        catch (ArgumentException e)
        {
            throw ClassificationData.Corrupt(isbotPath, "the pattern does not compile: " + e.Message, e);
        }

        List<CrawlerEntry> crawlers;
        try
        {
            crawlers = JsonSerializer.Deserialize<List<CrawlerEntry>>(File.ReadAllText(crawlerPath), JsonOptions)
                ?? throw ClassificationData.Corrupt(crawlerPath, "empty document");
        }
        catch (JsonException e)
        {
            throw ClassificationData.Corrupt(crawlerPath, e.Message, e);
        }

        if (crawlers.Count == 0 || crawlers.Any(c => string.IsNullOrEmpty(c.Pattern)))
        {
            throw ClassificationData.Corrupt(crawlerPath, "no patterns, or an entry without a pattern");
        }

        var groups = crawlers
            .GroupBy(c => CategoryOf(c.Tags))
            .Select(g => (Patterns: PatternSet.Create(g.Select(c => c.Pattern!), crawlerPath), Category: g.Key))
            .OrderBy(g => g.Category == BotCategory.Crawler ? 1 : 0)
            .ToArray();

        OwnAgentsFile own;
        try
        {
            own = JsonSerializer.Deserialize<OwnAgentsFile>(File.ReadAllText(agentsPath), JsonOptions)
                ?? throw ClassificationData.Corrupt(agentsPath, "empty document");
        }
        catch (JsonException e)
        {
            throw ClassificationData.Corrupt(agentsPath, e.Message, e);
        }

        return new AgentLists(
            isbot,
            NonBacktracking(LookAround().Replace(isbotSource, string.Empty), RegexOptions.IgnoreCase),
            PatternSet.Create(crawlers.Select(c => c.Pattern!), crawlerPath),
            groups,
            Search(own.Scanner),
            Search(own.Preview),
            Search(own.Monitor),
            Search(own.Human),
            Search(new[] { own.Scanner, own.Preview, own.Monitor, own.Human }.SelectMany(l => l ?? []).Select(e => e.Token!)));
    }

    /// <summary>
    /// A pattern on the non-backtracking engine (a lazily built DFA: linear in the agent's length), or null when the
    /// engine cannot take it (look-arounds, or an automaton over its size limit); the callers then use the slower exact form.
    /// </summary>
    private static Regex? NonBacktracking(string pattern, RegexOptions options)
    {
        try
        {
            var regex = new Regex(pattern, options | RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
            regex.IsMatch("Mozilla/5.0 (warm-up)");
            return regex;
        }
        catch (Exception e) when (e is NotSupportedException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>A look-ahead or look-behind group, with up to one level of groups inside.</summary>
    [GeneratedRegex(@"\(\?<?[!=](?:[^()]|\([^()]*\))*\)")]
    private static partial Regex LookAround();

    /// <summary>A case-insensitive multi-substring search, or null for an empty list.</summary>
    public static SearchValues<string>? Search(IEnumerable<string>? tokens)
    {
        var list = tokens?.Where(t => !string.IsNullOrWhiteSpace(t)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray() ?? [];
        return list.Length == 0 ? null : SearchValues.Create(list, StringComparison.OrdinalIgnoreCase);
    }

    private static SearchValues<string>? Search(List<OwnAgent>? entries) => Search(entries?.Select(e => e.Token!));

    private static BotCategory CategoryOf(List<string>? tags)
    {
        foreach (var (tag, category) in TagCategories)
        {
            if (tags?.Contains(tag, StringComparer.Ordinal) == true)
            {
                return category;
            }
        }

        return BotCategory.Crawler;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip };

    private sealed record CrawlerEntry(string? Pattern, string? Url, List<string>? Tags);

    private sealed record OwnAgent(string? Token, string? Source);

    private sealed record OwnAgentsFile(List<OwnAgent>? Scanner, List<OwnAgent>? Preview, List<OwnAgent>? Monitor, List<OwnAgent>? Human);
}
