using LinkTracking.Domain.Clicks;

namespace LinkTracking.Infrastructure.UnitTests.Classification;

public sealed class ClickClassifierTests
{
    [Test]
    public void Classify_WhenPersonClicksFromHome_IsHumanWithoutSignals()
    {
        var classifier = Clicks.Classifier();

        var result = classifier.Classify(Clicks.Person());

        Assert.That(result.Category, Is.EqualTo(BotCategory.Human));
        Assert.That(result.Signals, Is.Empty);
    }

    [Test]
    public void Classify_WhenHeadRequest_IsScanner()
    {
        var classifier = Clicks.Classifier();

        var result = classifier.Classify(Clicks.Person() with { Method = "HEAD" });

        Assert.That(result.Category, Is.EqualTo(BotCategory.Scanner));
        Assert.That(result.Reason, Is.EqualTo(ClickSignals.HeadRequest));
    }

    [Test]
    public void Classify_WhenOptionsRequest_IsScanner()
    {
        var result = Clicks.Classifier().Classify(Clicks.Person() with { Method = "OPTIONS" });

        Assert.That(result.Reason, Is.EqualTo(ClickSignals.HeadRequest));
    }

    [TestCase("Mozilla/5.0 (Linux; Android 13; NIMBOT X Build/TP1A.220624.014) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.135 Mobile Safari/537.36")]
    [TestCase("Mozilla/5.0 (Linux; Android 11; Cubot KingKong 7 Build/RP1A.200720.011) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.107 Mobile Safari/537.36")]
    [TestCase("Mozilla/5.0 (Linux; Android 10; Robot 2 Build/QP1A.190711.020) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36")]
    [TestCase("Mozilla/5.0 (Linux; Android 12; BOT-Phone Pro) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36")]
    public void Classify_WhenPhoneModelContainsBot_IsHuman(string agent)
    {
        var result = Clicks.Classifier().Classify(Clicks.Person(agent, Clicks.MobileCarrier));

        Assert.That(result.Category, Is.EqualTo(BotCategory.Human), string.Join(",", result.Signals));
    }

    [TestCase("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.30.1543")]
    [TestCase("Mozilla/5.0 (Linux; Android 14; SM-S918B Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/131.0.6778.39 Mobile Safari/537.36 [LinkedInApp]/4.1.1005")]
    [TestCase("Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) GSA/343.0.695551749 Mobile/15E148 Safari/604.1")]
    [TestCase("Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/485.0.0.39.105;FBBV/652125417;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.6;FBSS/3;FBCR/;FBID/phone;FBLC/en_US;FBOP/80]")]
    [TestCase("Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 353.0.0.26.90 (iPhone14,5; iOS 17_6; en_US; en; scale=3.00; 1170x2532; 651203409)")]
    public void Classify_WhenInAppBrowser_IsHuman(string agent)
    {
        var headers = Clicks.ChromeHeaders() with { SecFetchDest = null, SecFetchMode = null, SecFetchSite = null, SecFetchUser = null };

        var result = Clicks.Classifier().Classify(Clicks.Person(agent, Clicks.MobileCarrier, headers));

        Assert.That(result.Category, Is.EqualTo(BotCategory.Human), string.Join(",", result.Signals));
    }

    [TestCase("")]
    [TestCase(null)]
    [TestCase("   ")]
    public void Classify_WhenAgentIsEmpty_IsMachine(string? agent)
    {
        var result = Clicks.Classifier().Classify(Clicks.Person() with { UserAgent = agent });

        Assert.That(result.Category, Is.EqualTo(BotCategory.Scanner));
        Assert.That(result.Reason, Is.EqualTo(ClickSignals.EmptyAgent));
    }

    [Test]
    public void Classify_WhenChromeFromSafeLinksAddressWithoutAcceptLanguage_IsScanner()
    {
        var facts = Clicks.Person(Clicks.Chrome, Clicks.Microsoft, Clicks.ChromeHeaders() with { AcceptLanguage = null });

        var result = Clicks.Classifier().Classify(facts);

        Assert.That(result.Category, Is.EqualTo(BotCategory.Scanner));
        Assert.That(result.Signals, Is.EqualTo(new[] { ClickSignals.MissingBrowserHeaders, ClickSignals.DatacenterNetwork }));
    }

    [Test]
    public void Classify_WhenZscalerAddressWithCompleteHeaders_IsHuman()
    {
        var result = Clicks.Classifier().Classify(Clicks.Person(Clicks.Chrome, Clicks.Zscaler) with { ClickedAt = Clicks.SentAt.AddSeconds(20) });

        Assert.That(result.Category, Is.EqualTo(BotCategory.Human));
        Assert.That(result.Signals, Is.Empty);
    }

    [Test]
    public void Classify_WhenPrivateRelaySafariSoonAfterSend_IsHuman()
    {
        var headers = Clicks.ChromeHeaders() with { SecChUa = null };
        var facts = Clicks.Person(Clicks.IphoneSafari, Clicks.PrivateRelay, headers) with { ClickedAt = Clicks.SentAt.AddSeconds(30) };

        var result = Clicks.Classifier().Classify(facts);

        Assert.That(result.Category, Is.EqualTo(BotCategory.Human));
    }

    [Test]
    public void Classify_WhenPartnerClickHasNoHeaders_HeaderRulesDoNotFire()
    {
        var facts = Clicks.Person() with { Headers = null };

        var result = Clicks.Classifier().Classify(facts);

        Assert.That(result.Category, Is.EqualTo(BotCategory.Human));
        Assert.That(result.Signals, Does.Not.Contain(ClickSignals.MissingBrowserHeaders).And.Not.Contain(ClickSignals.Prefetch));
    }

    [Test]
    public void Classify_WhenDatacenterAddressWithCompleteHeadersLater_IsHumanWithNotedSignal()
    {
        var result = Clicks.Classifier().Classify(Clicks.Person(Clicks.Chrome, Clicks.Aws));

        Assert.That(result.Category, Is.EqualTo(BotCategory.Human));
        Assert.That(result.Signals, Is.EqualTo(new[] { ClickSignals.DatacenterNetwork }));
    }

    [Test]
    public void Classify_WhenDatacenterAddressWithoutHeadersSeen_IsScanner()
    {
        var result = Clicks.Classifier().Classify(Clicks.Person(Clicks.Chrome, Clicks.Aws) with { Headers = null });

        Assert.That(result.Category, Is.EqualTo(BotCategory.Scanner));
        Assert.That(result.Reason, Is.EqualTo(ClickSignals.DatacenterNetwork));
    }

    [Test]
    public void Classify_WhenDatacenterAddressWithCompleteHeadersSoonAfterSend_IsScanner()
    {
        var facts = Clicks.Person(Clicks.Chrome, Clicks.Microsoft) with { ClickedAt = Clicks.SentAt.AddSeconds(4) };

        var result = Clicks.Classifier().Classify(facts);

        Assert.That(result.Category, Is.EqualTo(BotCategory.Scanner));
        Assert.That(result.Signals, Is.EqualTo(new[] { ClickSignals.SoonAfterSend, ClickSignals.DatacenterNetwork }));
    }

    [Test]
    public void Classify_WhenMailSecurityNetwork_IsScannerEvenWithCompleteHeaders()
    {
        var result = Clicks.Classifier().Classify(Clicks.Person(Clicks.Chrome, Clicks.Proofpoint));

        Assert.That(result.Category, Is.EqualTo(BotCategory.Scanner));
        Assert.That(result.Reason, Is.EqualTo(ClickSignals.ScannerNetwork));
    }

    [TestCase("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", BotCategory.Preview)]
    [TestCase("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", BotCategory.Preview)]
    [TestCase("Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com", BotCategory.Preview)]
    [TestCase("Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)", BotCategory.Monitor)]
    [TestCase("Microsoft Office Protocol Discovery", BotCategory.Scanner)]
    [TestCase("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", BotCategory.Crawler)]
    [TestCase("python-requests/2.32.3", BotCategory.Crawler)]
    public void Classify_WhenAgentIsListed_TakesTheListsCategory(string agent, BotCategory expected)
    {
        var result = Clicks.Classifier().Classify(Clicks.Person(agent) with { Headers = null });

        Assert.That(result.Category, Is.EqualTo(expected));
        Assert.That(result.Reason, Is.EqualTo(ClickSignals.AgentList));
    }

    [Test]
    public void Classify_WhenAgentListedAndFromScannerNetwork_AgentCategoryWins()
    {
        var result = Clicks.Classifier().Classify(Clicks.Person("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", Clicks.Proofpoint));

        Assert.That(result.Category, Is.EqualTo(BotCategory.Preview));
        Assert.That(result.Signals, Is.EqualTo(new[] { ClickSignals.AgentList, ClickSignals.ScannerNetwork }));
    }

    [TestCase("prefetch")]
    [TestCase("preview")]
    public void Classify_WhenPurposeIsPrefetch_IsPreview(string purpose)
    {
        var facts = Clicks.Person(headers: Clicks.ChromeHeaders() with { Purpose = purpose });

        var result = Clicks.Classifier().Classify(facts);

        Assert.That(result.Category, Is.EqualTo(BotCategory.Preview));
        Assert.That(result.Reason, Is.EqualTo(ClickSignals.Prefetch));
    }

    [Test]
    public void Classify_WhenModernChromeWithoutSecFetch_IsScanner()
    {
        var headers = Clicks.ChromeHeaders() with { SecFetchDest = null, SecFetchMode = null, SecFetchSite = null, SecFetchUser = null };

        var result = Clicks.Classifier().Classify(Clicks.Person(Clicks.Chrome, headers: headers));

        Assert.That(result.Reason, Is.EqualTo(ClickSignals.MissingBrowserHeaders));
    }

    [Test]
    public void Classify_WhenOldChromeWithoutSecFetch_IsHuman()
    {
        var headers = Clicks.ChromeHeaders() with { SecFetchDest = null, SecFetchMode = null, SecFetchSite = null, SecFetchUser = null };
        var oldChrome = Clicks.Chrome.Replace("Chrome/131", "Chrome/79", StringComparison.Ordinal);

        var result = Clicks.Classifier().Classify(Clicks.Person(oldChrome, headers: headers));

        Assert.That(result.Category, Is.EqualTo(BotCategory.Human));
    }

    [Test]
    public void Classify_WhenAcceptLacksHtml_IsScanner()
    {
        var result = Clicks.Classifier().Classify(Clicks.Person(Clicks.Firefox, headers: Clicks.ChromeHeaders() with { Accept = "application/json" }));

        Assert.That(result.Reason, Is.EqualTo(ClickSignals.MissingBrowserHeaders));
    }

    [Test]
    public void Classify_WhenHomeClickSoonAfterSendWithCompleteHeaders_IsHuman()
    {
        var result = Clicks.Classifier().Classify(Clicks.Person() with { ClickedAt = Clicks.SentAt.AddSeconds(10) });

        Assert.That(result.Category, Is.EqualTo(BotCategory.Human));
    }

    [Test]
    public void Classify_WhenDatacenterClickLongBeforeSendTolerance_IsNotSoonAfterSend()
    {
        var facts = Clicks.Person(Clicks.Chrome, Clicks.Aws) with { ClickedAt = Clicks.SentAt.AddMinutes(-10) };

        var result = Clicks.Classifier().Classify(facts);

        Assert.That(result.Signals, Does.Not.Contain(ClickSignals.SoonAfterSend));
    }

    [Test]
    public void Classify_WhenRequestShapeRuleOff_HeadAndHeadersDoNotCount()
    {
        var facts = Clicks.Person(headers: Clicks.ChromeHeaders() with { AcceptLanguage = null, Purpose = "prefetch" }) with { Method = "HEAD" };

        var result = Clicks.Classifier(o => o.RequestShapeRule = false).Classify(facts);

        Assert.That(result, Is.EqualTo(ClickClassification.Human));
    }

    [Test]
    public void Classify_WhenAgentRuleOff_ListsAndEmptyAgentDoNotCount()
    {
        var classifier = Clicks.Classifier(o => o.AgentRule = false);

        var listed = classifier.Classify(Clicks.Person("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)") with { Headers = null });
        var empty = classifier.Classify(Clicks.Person() with { UserAgent = null, Headers = null });

        Assert.That(listed.Category, Is.EqualTo(BotCategory.Human));
        Assert.That(empty.Category, Is.EqualTo(BotCategory.Human));
    }

    [Test]
    public void Classify_WhenNetworkRuleOff_NetworksDoNotCount()
    {
        var classifier = Clicks.Classifier(o => o.NetworkRule = false);

        var proofpoint = classifier.Classify(Clicks.Person(Clicks.Chrome, Clicks.Proofpoint) with { ClickedAt = Clicks.SentAt.AddDays(1) });
        var aws = classifier.Classify(Clicks.Person(Clicks.Chrome, Clicks.Aws) with { Headers = null });

        Assert.That(proofpoint.Category, Is.EqualTo(BotCategory.Human));
        Assert.That(aws.Category, Is.EqualTo(BotCategory.Human));
    }

    [Test]
    public void Classify_WhenTimingRuleOff_SoonAfterSendDoesNotCount()
    {
        var facts = Clicks.Person(Clicks.Chrome, Clicks.Microsoft) with { ClickedAt = Clicks.SentAt.AddSeconds(4) };

        var result = Clicks.Classifier(o => o.TimingRule = false).Classify(facts);

        Assert.That(result.Category, Is.EqualTo(BotCategory.Human));
        Assert.That(result.Signals, Is.EqualTo(new[] { ClickSignals.DatacenterNetwork }));
    }

    [Test]
    public void Classify_WhenSoonAfterSendShortened_LaterClickIsNotSoon()
    {
        var facts = Clicks.Person(Clicks.Chrome, Clicks.Microsoft) with { ClickedAt = Clicks.SentAt.AddSeconds(30) };

        var result = Clicks.Classifier(o => o.SoonAfterSend = TimeSpan.FromSeconds(10)).Classify(facts);

        Assert.That(result.Category, Is.EqualTo(BotCategory.Human));
    }

    [Test]
    public void Classify_WhenOperatorConfiguredScannerAgent_IsConfiguredScanner()
    {
        var classifier = Clicks.Classifier(o => o.ScannerAgents.Add("AcmeMailGuard"));

        var result = classifier.Classify(Clicks.Person(Clicks.Chrome + " AcmeMailGuard/2.0"));

        Assert.That(result.Category, Is.EqualTo(BotCategory.Scanner));
        Assert.That(result.Reason, Is.EqualTo(ClickSignals.Configured));
    }

    [Test]
    public void Classify_WhenOperatorConfiguredScannerCidr_IsConfiguredScanner()
    {
        var classifier = Clicks.Classifier(o => o.ScannerCidrs.Add("73.15.20.0/24"));

        var result = classifier.Classify(Clicks.Person());

        Assert.That(result.Reason, Is.EqualTo(ClickSignals.Configured));
    }

    [Test]
    public void Classify_WhenOperatorConfiguredScannerAsn_IsConfiguredScanner()
    {
        var classifier = Clicks.Classifier(o => o.ScannerAsns.Add(7922));

        var result = classifier.Classify(Clicks.Person());

        Assert.That(result.Reason, Is.EqualTo(ClickSignals.Configured));
    }

    [Test]
    public void Classify_WhenOperatorConfiguredHumanAsn_DatacenterIsNotFlagged()
    {
        var classifier = Clicks.Classifier(o => o.HumanAsns.Add(14618));

        var result = classifier.Classify(Clicks.Person(Clicks.Chrome, Clicks.Aws) with { Headers = null, ClickedAt = Clicks.SentAt.AddSeconds(3) });

        Assert.That(result, Is.EqualTo(ClickClassification.Human));
    }

    [Test]
    public void Classify_WhenOperatorConfiguredHumanAgent_ListedAgentIsHuman()
    {
        const string kiosk = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 AcmeKioskCrawler/1.0";
        var classifier = Clicks.Classifier(o => o.HumanAgents.Add("AcmeKiosk"));

        var before = Clicks.Classifier().Classify(Clicks.Person(kiosk));
        var after = classifier.Classify(Clicks.Person(kiosk));

        Assert.That(before.Category, Is.Not.EqualTo(BotCategory.Human));
        Assert.That(after.Category, Is.EqualTo(BotCategory.Human));
    }

    [Test]
    public void Classifier_WhenConfiguredCidrIsMalformed_FailsNamingTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Clicks.Classifier(o => o.ScannerCidrs.Add("not-a-cidr")));

        Assert.That(error!.Message, Does.Contain("ClickClassification:ScannerCidrs").And.Contain("not-a-cidr"));
    }
}
