using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LinkTracking.Infrastructure.Text;

namespace LinkTracking.Infrastructure.Classification;

/// <summary>Which list an agent is on (<see cref="AgentLists.Find"/>); several at once.</summary>
[Flags]
public enum ListHits
{
    None = 0,
    OwnScanner = 1,
    OwnPreview = 2,
    OwnMonitor = 4,
    OwnHuman = 8,
    CrawlerPreview = 16,
    CrawlerMonitor = 32,
    CrawlerScanner = 64,
    Crawler = 128,
    Isbot = 256,

    /// <summary>An in-app browser's token (<see cref="InAppBrowsers.AppTokens"/>).</summary>
    InAppToken = 512,

    /// <summary>A word robots describe themselves with (<see cref="InAppBrowsers.RobotWords"/>).</summary>
    RobotWord = 1024,
    Own = OwnScanner | OwnPreview | OwnMonitor | OwnHuman,
    InApp = InAppToken | RobotWord,
    Public = CrawlerPreview | CrawlerMonitor | CrawlerScanner | Crawler | Isbot,
    All = Own | Public,
}

/// <summary>
/// The user-agent lists, compiled once per process and data folder: our own substring lists (<c>agents.json</c>),
/// the crawler-user-agents patterns (MIT) by the category their tags give, and isbot's combined pattern (Unlicense)
/// split into its alternatives. All of them — some 1,700 patterns — sit behind one <see cref="LiteralPrefilter"/>: one
/// pass over an agent tells which patterns' required literals it holds, and only those are checked (a substring
/// compare for the literal ones, which are nearly all; the pattern's own regex otherwise). isbot's few alternatives
/// without a literal (<c>^[\w \.\-\(?:\):%]+…</c>, <c>^\d+\b</c>…) run as one compiled regex on every agent.
/// </summary>
public sealed partial class AgentLists
{
    private static readonly PerDirectoryCache<AgentLists> Cache = new(Load);

    /// <summary>crawler-user-agents tags that name a category other than crawler; checked in this order.</summary>
    private static readonly (string Tag, ListHits Hit)[] TagCategories =
    [
        ("social-preview", ListHits.CrawlerPreview),
        ("monitoring", ListHits.CrawlerMonitor),
        ("scanner", ListHits.CrawlerScanner),
    ];

    private readonly AgentPattern[] _patterns;
    private readonly LiteralPrefilter _prefilter;

    private AgentLists(Regex isbot, AgentPattern[] patterns)
    {
        Isbot = isbot;
        _patterns = patterns;
        _prefilter = new LiteralPrefilter([.. patterns.Select(p => p.Literals)]);
    }

    /// <summary>isbot's pattern as the package writes it (look-behinds and all): the reference the split form is tested against.</summary>
    public Regex Isbot { get; }

    /// <summary>Patterns in all lists.</summary>
    public int PatternCount => _patterns.Length;

    /// <summary>Patterns checked on every agent (no required literal).</summary>
    public int PatternsWithoutLiteral => _prefilter.Always.Count;

    /// <summary>States of the prefilter's automaton.</summary>
    public int PrefilterStates => _prefilter.States;

    public static AgentLists Shared(string directory) => Cache.Get(directory);

    /// <summary>The lists among <paramref name="wanted"/> that name <paramref name="agent"/>.</summary>
    public ListHits Find(string agent, ListHits wanted)
    {
        ArgumentNullException.ThrowIfNull(agent);
        Span<ulong> candidates = stackalloc ulong[_prefilter.Words];
        candidates.Clear();
        var filtered = _prefilter.TryFind(agent, candidates);
        var found = ListHits.None;
        if (!filtered)
        {
            candidates.Fill(ulong.MaxValue);
        }

        // Only the candidates' bits are visited: a few patterns per agent, not 1,800.
        for (var word = 0; word < candidates.Length; word++)
        {
            var bits = candidates[word];
            while (bits != 0)
            {
                var i = (word << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                if (i >= _patterns.Length)
                {
                    break;
                }

                var pattern = _patterns[i];
                if ((wanted & pattern.List & ~found) != 0 && pattern.IsMatch(agent, filtered))
                {
                    found |= pattern.List;
                }
            }
        }

        return found;
    }

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
        List<AgentPattern> isbotPatterns;
        try
        {
            // isbot's pattern uses look-behinds and is written to match case-insensitively.
            isbot = new Regex(isbotSource, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            isbotPatterns = SplitIsbot(isbotSource);
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

        var patterns = new List<AgentPattern>();
        foreach (var (list, hit) in new[] { (own.Scanner, ListHits.OwnScanner), (own.Preview, ListHits.OwnPreview), (own.Monitor, ListHits.OwnMonitor), (own.Human, ListHits.OwnHuman) })
        {
            patterns.AddRange((list ?? []).Where(e => !string.IsNullOrWhiteSpace(e.Token)).Select(e => AgentPattern.Token(e.Token!, hit)));
        }

        foreach (var crawler in crawlers)
        {
            try
            {
                patterns.Add(AgentPattern.Crawler(crawler.Pattern!, CategoryOf(crawler.Tags)));
            }
            catch (ArgumentException e)
            {
                throw ClassificationData.Corrupt(crawlerPath, "a pattern does not compile: " + e.Message, e);
            }
        }

        patterns.AddRange(isbotPatterns);
        patterns.AddRange(InAppBrowsers.AppTokens.Select(t => new AgentPattern(ListHits.InAppToken, [t.Token.ToLowerInvariant()], t.Token, false, false, null, t.DigitAfter)));
        patterns.AddRange(InAppBrowsers.RobotWords.Select(w => AgentPattern.Token(w, ListHits.RobotWord)));
        return new AgentLists(isbot, [.. patterns]);
    }

    /// <summary>
    /// isbot's pattern cut into its top-level alternatives (an agent matches the whole iff it matches one of them);
    /// those with a required literal are checked on their own when it occurs, the rest together on every agent.
    /// </summary>
    private static List<AgentPattern> SplitIsbot(string source)
    {
        var withLiteral = new List<AgentPattern>();
        var without = new List<string>();
        foreach (var alternative in TopLevelAlternatives(source))
        {
            if (RequiredLiterals.Of(alternative, CommonAgents.Text) is { } literals)
            {
                withLiteral.Add(new AgentPattern(ListHits.Isbot, literals, null, false, false, new Regex(alternative, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled)));
            }
            else
            {
                without.Add(alternative);
            }
        }

        // Each on its own: a lone anchored or single-character-led pattern is rejected at once (one attempt at the
        // start, or a vectorised search for '@', '(' or '|'), which an alternation of them all is not.
        foreach (var alternative in without)
        {
            var rest = new Regex(alternative, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);
            rest.IsMatch("Mozilla/5.0 (warm-up: compile the matcher now, not on the first click)");
            withLiteral.Add(new AgentPattern(ListHits.Isbot, null, null, false, false, rest));
        }

        return withLiteral;
    }

    /// <summary>The alternatives of a pattern's top level: split at each '|' outside groups, classes and escapes.</summary>
    public static IReadOnlyList<string> TopLevelAlternatives(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var parts = new List<string>();
        var depth = 0;
        var inClass = false;
        var start = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\':
                    i++;
                    break;
                case '[' when !inClass:
                    inClass = true;
                    if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                    {
                        i++;
                    }

                    if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                    {
                        i++;
                    }

                    break;
                case ']' when inClass:
                    inClass = false;
                    break;
                case '(' when !inClass:
                    depth++;
                    break;
                case ')' when !inClass:
                    depth--;
                    break;
                case '|' when !inClass && depth == 0:
                    parts.Add(pattern[start..i]);
                    start = i + 1;
                    break;
            }
        }

        parts.Add(pattern[start..]);
        return parts;
    }

    /// <summary>A case-insensitive multi-substring search, or null for an empty list.</summary>
    public static SearchValues<string>? Search(IEnumerable<string>? tokens)
    {
        var list = tokens?.Where(t => !string.IsNullOrWhiteSpace(t)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray() ?? [];
        return list.Length == 0 ? null : SearchValues.Create(list, StringComparison.OrdinalIgnoreCase);
    }

    private static ListHits CategoryOf(List<string>? tags)
    {
        foreach (var (tag, hit) in TagCategories)
        {
            if (tags?.Contains(tag, StringComparer.Ordinal) == true)
            {
                return hit;
            }
        }

        return ListHits.Crawler;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip };

    private sealed record CrawlerEntry(string? Pattern, string? Url, List<string>? Tags);

    private sealed record OwnAgent(string? Token, string? Source);

    private sealed record OwnAgentsFile(List<OwnAgent>? Scanner, List<OwnAgent>? Preview, List<OwnAgent>? Monitor, List<OwnAgent>? Human);
}

/// <summary>
/// One pattern of the lists: a token of ours (case-insensitive substring), a crawler-user-agents literal (case-sensitive
/// substring) or <c>^literal</c> (prefix), or a regex; with the literals the prefilter indexes it under.
/// </summary>
internal sealed record AgentPattern(ListHits List, IReadOnlyList<string>? Literals, string? Text, bool IgnoreCase, bool Prefix, Regex? Regex, bool DigitAfter = false)
{
    public static AgentPattern Token(string token, ListHits list) =>
        new(list, IsAscii(token) ? [token.ToLowerInvariant()] : null, token, true, false, null);

    public static AgentPattern Crawler(string pattern, ListHits list)
    {
        if (Literal(pattern) is { } literal)
        {
            return new AgentPattern(list, IsAscii(literal) ? [literal.ToLowerInvariant()] : null, literal, false, false, null);
        }

        if (pattern.StartsWith('^') && Literal(pattern[1..]) is { } prefix)
        {
            return new AgentPattern(list, IsAscii(prefix) ? [prefix.ToLowerInvariant()] : null, prefix, false, true, null);
        }

        var regex = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled);
        return new AgentPattern(list, RequiredLiterals.Of(pattern, CommonAgents.Text), null, false, false, regex);
    }

    /// <summary>Whether the pattern matches; <paramref name="literalSeen"/>: the prefilter saw its (folded) literal, so
    /// an ASCII case-insensitive token needs no second look.</summary>
    public bool IsMatch(string agent, bool literalSeen)
    {
        if (Regex is not null)
        {
            return Regex.IsMatch(agent);
        }

        if (IgnoreCase)
        {
            return (literalSeen && Literals is not null) || agent.Contains(Text!, StringComparison.OrdinalIgnoreCase);
        }

        if (List == ListHits.InAppToken)
        {
            return InAppBrowsers.HasToken(agent, Text!, DigitAfter);
        }

        return Prefix ? agent.StartsWith(Text!, StringComparison.Ordinal) : agent.Contains(Text!, StringComparison.Ordinal);
    }

    private static bool IsAscii(string text) => text.Length > 0 && System.Text.Ascii.IsValid(text);

    /// <summary>The text a pattern matches when it is a plain literal (escapes such as <c>\/</c> undone), else null.</summary>
    private static string? Literal(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var text = new StringBuilder(pattern.Length);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                if (i + 1 < pattern.Length && !char.IsAsciiLetterOrDigit(pattern[i + 1]))
                {
                    text.Append(pattern[++i]);
                    continue;
                }

                return null;
            }

            if ("[](){}|*+?^$.".Contains(c, StringComparison.Ordinal))
            {
                return null;
            }

            text.Append(c);
        }

        return text.Length == 0 ? null : text.ToString();
    }
}
