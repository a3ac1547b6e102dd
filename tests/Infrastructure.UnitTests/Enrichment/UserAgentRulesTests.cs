using LinkTracking.Domain.Clicks;
using LinkTracking.Infrastructure.Enrichment;
using YamlDotNet.Serialization;

namespace LinkTracking.Infrastructure.UnitTests.Enrichment;

/// <summary>
/// The shipped uap-core rules against our fixtures (Fixtures/, in uap-core's test-file format: agents of today's
/// browsers, apps and bots with the families uap-core names them). Then our device-type mapping over current agents.
/// </summary>
public sealed class UserAgentRulesTests
{
    private static readonly UserAgentRules Rules = UserAgentRules.Load(Path.Combine(EnrichmentData.DefaultDirectory, EnrichmentData.UserAgentRulesFile));

    public static IEnumerable<TestCaseData> BrowserCases() => Fixture("test_ua.yaml");

    public static IEnumerable<TestCaseData> OsCases() => Fixture("test_os.yaml");

    public static IEnumerable<TestCaseData> DeviceCases() => Fixture("test_device.yaml");

    [Test]
    public void Parse_WithThePrefilter_AgreesWithEveryRuleRunInTurn()
    {
        var path = Path.Combine(EnrichmentData.DefaultDirectory, EnrichmentData.UserAgentRulesFile);
        var inTurn = UserAgentRules.Load(path, System.Text.RegularExpressions.RegexOptions.None, prefilter: false);
        var agents = BrowserCases().Concat(OsCases()).Concat(DeviceCases()).Select(c => (string)c.Arguments[0]!)
            .Concat(Classification.ClassifierCorpusTests.Load().Select(c => c.UserAgent).OfType<string>())
            .Append("Mozilla/5.0 (Linux; Android 14; \u212Aindle Fire) AppleWebKit/537.36 (KHTML, like Gecko) Silk/131.1.1 like Chrome/131.0.0.0 Safari/537.36")
            .Distinct()
            .ToList();

        // Asked three times: a rule past its match timeout on a loaded machine counts as no match, whichever way it runs.
        var differing = agents.Where(a => Enumerable.Range(0, 3).All(_ => Rules.Parse(a) != inTurn.Parse(a))).ToList();

        Assert.That(agents, Has.Count.GreaterThan(2000));
        Assert.That(differing, Is.Empty);
        Assert.That(Rules.RulesWithoutLiteral, Is.LessThan(Rules.RuleCount / 10), "the prefilter leaves few rules to run on every agent");
    }

    [Test]
    public void Load_ReadsEveryRuleOfTheShippedFile_AndSkipsNone()
    {
        Assert.That(Rules.RuleCount, Is.GreaterThan(1000));
        Assert.That(Rules.SkippedRules, Is.Zero, "every uap-core regex builds in .NET");
    }

    [TestCaseSource(nameof(BrowserCases))]
    public void Parse_GivesTheBrowserFamilyUapCoreNames(string userAgent, string family) =>
        Assert.That(Rules.Parse(userAgent).Browser, Is.EqualTo(family));

    [TestCaseSource(nameof(OsCases))]
    public void Parse_GivesTheOsFamilyUapCoreNames(string userAgent, string family) =>
        Assert.That(Rules.Parse(userAgent).Os, Is.EqualTo(family));

    [TestCaseSource(nameof(DeviceCases))]
    public void Parse_GivesTheDeviceFamilyUapCoreNames(string userAgent, string family) =>
        Assert.That(Rules.Parse(userAgent).Device, Is.EqualTo(family));

    [TestCase("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", DeviceType.Desktop, "Chrome", "Windows")]
    [TestCase("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15", DeviceType.Desktop, "Safari", "Mac OS X")]
    [TestCase("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", DeviceType.Desktop, "Firefox", "Ubuntu")]
    [TestCase("Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1", DeviceType.Mobile, "Mobile Safari", "iOS")]
    [TestCase("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", DeviceType.Mobile, "Chrome Mobile", "Android")]
    [TestCase("Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1", DeviceType.Tablet, "Mobile Safari", "iOS")]
    [TestCase("Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", DeviceType.Tablet, "Chrome", "Android")]
    [TestCase("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", DeviceType.Bot, "Googlebot", "Other")]
    [TestCase("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", DeviceType.Bot, "bingbot", "Other")]
    [TestCase("Opera/9.30 (Nintendo Wii; U; ; 3642; en)", DeviceType.Other, "Opera", "Other")]
    public void Classify_MapsUapFamiliesToADeviceType(string userAgent, DeviceType device, string browser, string os)
    {
        var families = Rules.Parse(userAgent);

        Assert.Multiple(() =>
        {
            Assert.That(DeviceTypeRules.Classify(families, userAgent), Is.EqualTo(device), $"device family {families.Device}, os {families.Os}");
            Assert.That(families.Browser, Is.EqualTo(browser));
            Assert.That(families.Os, Is.EqualTo(os));
        });
    }

    [Test]
    public void Load_WhenTheFileIsNotUapCoresFormat_SaysSo()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "user_agent_parsers: [\n  - regex: 'unterminated");
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => UserAgentRules.Load(path));
            Assert.That(error!.Message, Does.Contain(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static IEnumerable<TestCaseData> Fixture(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Enrichment", "Fixtures", file);
        var document = new DeserializerBuilder().Build().Deserialize<Dictionary<string, List<Dictionary<string, string>>>>(File.ReadAllText(path));
        foreach (var entry in document["test_cases"])
        {
            yield return new TestCaseData(entry["user_agent_string"], entry["family"]).SetArgDisplayNames(entry["family"], entry["user_agent_string"][..Math.Min(40, entry["user_agent_string"].Length)]);
        }
    }
}
