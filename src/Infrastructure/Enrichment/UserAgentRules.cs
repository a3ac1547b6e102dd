using System.Text;
using System.Text.RegularExpressions;
using LinkTracking.Infrastructure.Text;
using YamlDotNet.Serialization;

namespace LinkTracking.Infrastructure.Enrichment;

/// <summary>What uap-core's rules say about one user agent: browser, OS and device families ("Other" when no rule matched).</summary>
public sealed record UserAgentFamilies(string Browser, string Os, string Device);

/// <summary>
/// uap-core's <c>regexes.yaml</c> (Apache-2.0): three ordered lists of rules (<c>user_agent_parsers</c>,
/// <c>os_parsers</c>, <c>device_parsers</c>); the first rule of a list whose regex matches gives the family, its
/// replacement with <c>$1</c>…<c>$9</c> filled from the match, or the first group without one — uap-core's own
/// reference semantics (docs/specification.md of the package). The file is read once with YamlDotNet and every regex
/// built once; a regex .NET cannot build is skipped and counted (<see cref="SkippedRules"/>). An agent is not run
/// through the 1,175 regexes in turn: one <see cref="LiteralPrefilter"/> pass over it tells which rules' required
/// literals it holds, and only those rules (and the few without a literal) run, still in their order
/// (bench/RESULTS.md, "Click enrichment": interpreted regexes behind the prefilter measured best).
/// </summary>
public sealed class UserAgentRules
{
    public const string Other = "Other";

    /// <summary>A match that takes longer than this (a pathological agent) counts as no match.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(25);

    private readonly Rule[] _browsers;
    private readonly Rule[] _oses;
    private readonly Rule[] _devices;
    private readonly LiteralPrefilter? _prefilter;

    private UserAgentRules(Rule[] browsers, Rule[] oses, Rule[] devices, int skipped, bool prefilter)
    {
        _browsers = browsers;
        _oses = oses;
        _devices = devices;
        SkippedRules = skipped;
        _prefilter = prefilter ? new LiteralPrefilter([.. browsers.Concat(oses).Concat(devices).Select(r => r.Literals)]) : null;
    }

    /// <summary>Rules that have no required literal, so run on every agent not seen before.</summary>
    public int RulesWithoutLiteral => _prefilter?.Always.Count ?? RuleCount;

    /// <summary>Rules loaded, all three lists together.</summary>
    public int RuleCount => _browsers.Length + _oses.Length + _devices.Length;

    /// <summary>Rules whose regex .NET could not build (none with uap-core 0.18.0).</summary>
    public int SkippedRules { get; }

    /// <summary>Reads the rules from a <c>regexes.yaml</c>. Throws when the file is missing or not uap-core's format.</summary>
    public static UserAgentRules Load(string path) => Load(path, RegexOptions.None, prefilter: true);

    /// <summary>As <see cref="Load(string)"/>, with extra regex options and the prefilter on or off (for the benchmark's comparison).</summary>
    public static UserAgentRules Load(string path, RegexOptions extraOptions, bool prefilter)
    {
        Dictionary<string, List<Dictionary<string, string?>>>? document;
        try
        {
            using var reader = File.OpenText(path);
            document = new DeserializerBuilder().Build().Deserialize<Dictionary<string, List<Dictionary<string, string?>>>>(reader);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new InvalidDataException($"'{path}' is not uap-core's regexes.yaml: {e.Message}", e);
        }

        if (document is null
            || !document.TryGetValue("user_agent_parsers", out var browsers)
            || !document.TryGetValue("os_parsers", out var oses)
            || !document.TryGetValue("device_parsers", out var devices))
        {
            throw new InvalidDataException($"'{path}' is not uap-core's regexes.yaml: user_agent_parsers, os_parsers or device_parsers is missing.");
        }

        var skipped = 0;
        var rules = new UserAgentRules(
            Build(browsers, "family_replacement", extraOptions, ref skipped),
            Build(oses, "os_replacement", extraOptions, ref skipped),
            Build(devices, "device_replacement", extraOptions, ref skipped),
            skipped,
            prefilter);
        if (rules.RuleCount == 0)
        {
            throw new InvalidDataException($"'{path}' holds no rules.");
        }

        return rules;
    }

    /// <summary>The families of an agent; runs the regexes (callers cache the answer).</summary>
    public UserAgentFamilies Parse(string userAgent)
    {
        ArgumentNullException.ThrowIfNull(userAgent);
        Span<ulong> candidates = _prefilter is null ? [] : stackalloc ulong[_prefilter.Words];
        candidates.Clear();
        var filtered = _prefilter?.TryFind(userAgent, candidates) == true;
        return new UserAgentFamilies(
            Family(_browsers, userAgent, candidates, filtered, 0),
            Family(_oses, userAgent, candidates, filtered, _browsers.Length),
            Family(_devices, userAgent, candidates, filtered, _browsers.Length + _oses.Length));
    }

    private static string Family(Rule[] rules, string userAgent, ReadOnlySpan<ulong> candidates, bool filtered, int offset)
    {
        for (var i = 0; i < rules.Length; i++)
        {
            if (filtered && !LiteralPrefilter.IsSet(candidates, offset + i))
            {
                continue;
            }

            var rule = rules[i];
            Match match;
            try
            {
                match = rule.Regex.Match(userAgent);
            }
            catch (RegexMatchTimeoutException)
            {
                continue;
            }

            if (match.Success)
            {
                var family = rule.Replacement is null ? match.Groups[1].Value : Substitute(rule.Replacement, match);
                family = family.Trim();
                return family.Length == 0 ? Other : family;
            }
        }

        return Other;
    }

    /// <summary>Fills <c>$1</c>…<c>$9</c> with the match's groups (an absent group is empty), as uap-core specifies.</summary>
    private static string Substitute(string replacement, Match match)
    {
        if (!replacement.Contains('$', StringComparison.Ordinal))
        {
            return replacement;
        }

        var result = new StringBuilder(replacement.Length + 16);
        for (var i = 0; i < replacement.Length; i++)
        {
            var c = replacement[i];
            if (c == '$' && i + 1 < replacement.Length && replacement[i + 1] is >= '1' and <= '9')
            {
                var group = replacement[i + 1] - '0';
                if (group < match.Groups.Count)
                {
                    result.Append(match.Groups[group].Value);
                }

                i++;
                continue;
            }

            result.Append(c);
        }

        return result.ToString();
    }

    private static Rule[] Build(List<Dictionary<string, string?>> entries, string replacementKey, RegexOptions extraOptions, ref int skipped)
    {
        var rules = new List<Rule>(entries.Count);
        foreach (var entry in entries)
        {
            if (!entry.TryGetValue("regex", out var pattern) || string.IsNullOrEmpty(pattern))
            {
                skipped++;
                continue;
            }

            var options = RegexOptions.CultureInvariant | extraOptions;
            if (entry.TryGetValue("regex_flag", out var flag) && string.Equals(flag, "i", StringComparison.Ordinal))
            {
                options |= RegexOptions.IgnoreCase;
            }

            try
            {
                rules.Add(new Rule(new Regex(pattern, options, MatchTimeout), entry.GetValueOrDefault(replacementKey), RequiredLiterals.Of(pattern, CommonAgents.Text)));
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException)
            {
                if (extraOptions.HasFlag(RegexOptions.NonBacktracking))
                {
                    // The non-backtracking engine lacks look-arounds and back-references: such a rule keeps the default engine.
                    rules.Add(new Rule(new Regex(pattern, options & ~RegexOptions.NonBacktracking, MatchTimeout), entry.GetValueOrDefault(replacementKey), RequiredLiterals.Of(pattern, CommonAgents.Text)));
                    continue;
                }

                skipped++;
            }
        }

        return [.. rules];
    }

    private sealed record Rule(Regex Regex, string? Replacement, IReadOnlyList<string>? Literals);
}

/// <summary>
/// The device type of a click from uap-core's families (docs/enrichment.md has the table):
/// <list type="number">
/// <item>device <c>Spider</c> → <see cref="Domain.Clicks.DeviceType.Bot"/>;</item>
/// <item>device <c>iPad</c>, <c>Kindle</c>, or a family naming a tablet (<c>Generic Tablet</c>, <c>… Tab …</c>) → tablet;</item>
/// <item>device <c>iPhone</c>, <c>iPod</c>, <c>Generic Smartphone</c>, <c>Generic Feature Phone</c>, or a mobile OS
/// (iOS, Windows Phone, BlackBerry OS, Symbian, KaiOS, Firefox OS, Sailfish, Tizen…) → mobile;</item>
/// <item>Android: mobile when the agent says <c>Mobile</c> (Android's own convention: tablet browsers leave it out), else tablet;</item>
/// <item>device <c>Mac</c> or a desktop OS (Windows, Mac OS X, Linux and its distributions, Chrome OS, the BSDs) → desktop;</item>
/// <item>anything else (TVs, consoles, unknown agents) → other.</item>
/// </list>
/// </summary>
public static class DeviceTypeRules
{
    private static readonly HashSet<string> MobileDevices = new(StringComparer.Ordinal) { "iPhone", "iPod", "Generic Smartphone", "Generic Feature Phone" };

    private static readonly HashSet<string> MobileOses = new(StringComparer.Ordinal)
    {
        "iOS", "Windows Phone", "Windows Mobile", "BlackBerry OS", "BlackBerry Tablet OS", "Symbian OS", "Symbian^3", "KaiOS",
        "Firefox OS", "Sailfish", "Tizen", "webOS", "Bada", "MeeGo", "Maemo", "Ubuntu Touch", "HarmonyOS",
    };

    private static readonly HashSet<string> DesktopOses = new(StringComparer.Ordinal)
    {
        "Mac OS X", "macOS", "Mac OS", "Linux", "Ubuntu", "Kubuntu", "Xubuntu", "Lubuntu", "Fedora", "Debian", "Red Hat", "CentOS",
        "Mint", "Linux Mint", "SUSE", "openSUSE", "Gentoo", "Slackware", "Mandriva", "Arch Linux", "Chrome OS", "ChromeOS",
        "FreeBSD", "OpenBSD", "NetBSD", "Solaris", "SunOS", "BeOS", "Haiku", "OS/2",
    };

    public static Domain.Clicks.DeviceType Classify(UserAgentFamilies families, string userAgent)
    {
        ArgumentNullException.ThrowIfNull(families);
        ArgumentNullException.ThrowIfNull(userAgent);
        var device = families.Device;
        var os = families.Os;
        if (device == "Spider")
        {
            return Domain.Clicks.DeviceType.Bot;
        }

        if (device is "iPad" || device.StartsWith("Kindle", StringComparison.Ordinal) || device.Contains("Tablet", StringComparison.Ordinal))
        {
            return Domain.Clicks.DeviceType.Tablet;
        }

        if (MobileDevices.Contains(device) || MobileOses.Contains(os))
        {
            return Domain.Clicks.DeviceType.Mobile;
        }

        if (os == "Android")
        {
            return userAgent.Contains("Mobile", StringComparison.Ordinal) ? Domain.Clicks.DeviceType.Mobile : Domain.Clicks.DeviceType.Tablet;
        }

        if (device == "Mac" || DesktopOses.Contains(os) || (os.StartsWith("Windows", StringComparison.Ordinal) && !os.StartsWith("Windows Phone", StringComparison.Ordinal)))
        {
            return Domain.Clicks.DeviceType.Desktop;
        }

        return Domain.Clicks.DeviceType.Other;
    }
}
