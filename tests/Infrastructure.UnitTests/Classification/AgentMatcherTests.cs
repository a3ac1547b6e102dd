using System.Text.Json;
using System.Text.RegularExpressions;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
using LinkTracking.Infrastructure.Classification;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.UnitTests.Classification;

public sealed class AgentMatcherTests
{
    private static AgentMatcher Matcher() => new(Options.Create(new ClickClassificationOptions()));

    [Test]
    public void WithoutDeviceModel_WhenAndroidAgent_BlanksOnlyTheModel()
    {
        const string agent = "Mozilla/5.0 (Linux; Android 13; NIMBOT X Build/TP1A.220624.014) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

        var result = AgentMatcher.WithoutDeviceModel(agent);

        Assert.That(result, Is.EqualTo("Mozilla/5.0 (Linux; Android 13; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"));
    }

    [Test]
    public void WithoutDeviceModel_WhenGooglebotSmartphone_KeepsTheBotToken()
    {
        const string agent = "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.108 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

        var verdict = Matcher().Match(agent);

        Assert.That(verdict.Listed, Is.EqualTo(BotCategory.Crawler));
    }

    [TestCase("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15")]
    [TestCase("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0")]
    [TestCase("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36")]
    public void Match_WhenOrdinaryBrowser_IsNotListed(string agent)
    {
        var verdict = Matcher().Match(agent);

        Assert.That(verdict.Listed, Is.Null);
        Assert.That(verdict.HumanApp, Is.False);
    }

    [Test]
    public void Match_WhenHeadlessChrome_IsScanner()
    {
        var verdict = Matcher().Match("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36");

        Assert.That(verdict.Listed, Is.EqualTo(BotCategory.Scanner));
    }

    [Test]
    public void Match_WhenLinkedInAppNotLinkedInBot_TellsThemApart()
    {
        var app = Matcher().Match("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.30.1543");
        var bot = Matcher().Match("LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)");

        Assert.That(app, Is.EqualTo(new AgentVerdict(null, true, false, InAppBrowser: true)));
        Assert.That(bot.Listed, Is.EqualTo(BotCategory.Preview));
    }

    [Test]
    public void Match_WithAndWithoutCache_AgreeOnEveryCorpusAgent()
    {
        var cached = Matcher();
        var uncached = new AgentMatcher(Options.Create(new ClickClassificationOptions()), ClassificationData.DefaultDirectory, cacheSize: 0);
        var agents = ClassifierCorpusTests.Load().Select(c => c.UserAgent).ToList();

        var differing = agents.Concat(agents).Where(a => cached.Match(a) != uncached.Match(a)).Distinct().ToList();

        Assert.That(differing, Is.Empty);
    }

    [Test]
    public void Find_AgreesWithEveryPatternRunInTurn()
    {
        var lists = AgentLists.Shared(ClassificationData.DefaultDirectory);
        var directory = ClassificationData.DefaultDirectory;
        using var own = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, ClassificationData.AgentsFile)));
        var tokens = new[] { ("scanner", ListHits.OwnScanner), ("preview", ListHits.OwnPreview), ("monitor", ListHits.OwnMonitor), ("human", ListHits.OwnHuman) }
            .SelectMany(l => own.RootElement.GetProperty(l.Item1).EnumerateArray().Select(e => (Token: e.GetProperty("token").GetString()!, Hit: l.Item2)))
            .ToList();
        using var crawlerFile = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, ClassificationData.CrawlerUserAgentsFile)));
        var crawlers = crawlerFile.RootElement.EnumerateArray()
            .Select(e => (Regex: new Regex(e.GetProperty("pattern").GetString()!, RegexOptions.CultureInvariant), Tags: e.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ToList()))
            .Select(c => (c.Regex, Hit: c.Tags.Contains("social-preview") ? ListHits.CrawlerPreview : c.Tags.Contains("monitoring") ? ListHits.CrawlerMonitor : c.Tags.Contains("scanner") ? ListHits.CrawlerScanner : ListHits.Crawler))
            .ToList();
        var agents = ClassifierCorpusTests.Load().Select(c => c.UserAgent).OfType<string>()
            .Concat(InAppBrowserTests.Agents.Cast<object[]>().Select(a => (string)a[1]))
            .Append("Mozilla/5.0 (compatible; \u212Aeybot/1.0)")
            .Append("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 ÄÖÜ-Crawler")
            .Distinct()
            .ToList();

        ListHits Reference(string agent) =>
            tokens.Where(t => agent.Contains(t.Token, StringComparison.OrdinalIgnoreCase)).Aggregate(ListHits.None, (h, t) => h | t.Hit)
            | crawlers.Where(c => c.Regex.IsMatch(agent)).Aggregate(ListHits.None, (h, c) => h | c.Hit)
            | (lists.Isbot.IsMatch(agent) ? ListHits.Isbot : ListHits.None);

        var differing = agents.Where(a => lists.Find(a, ListHits.All) != Reference(a)).ToList();

        Assert.That(agents, Has.Count.GreaterThan(1000));
        Assert.That(differing, Is.Empty);
        Assert.That(lists.PatternsWithoutLiteral, Is.LessThan(20), "nearly every pattern waits for its literal");
    }

    [TestCase("a|b(c|d)|[|]|e\\|f", new[] { "a", "b(c|d)", "[|]", "e\\|f" })]
    public void TopLevelAlternatives_SplitsOutsideGroupsClassesAndEscapes(string pattern, string[] expected)
    {
        Assert.That(AgentLists.TopLevelAlternatives(pattern), Is.EqualTo(expected));
    }
}
