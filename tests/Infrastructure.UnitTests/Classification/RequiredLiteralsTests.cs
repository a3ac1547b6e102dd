using LinkTracking.Infrastructure.Text;

namespace LinkTracking.Infrastructure.UnitTests.Classification;

public sealed class RequiredLiteralsTests
{
    [TestCase(@"Mozilla.{1,200}Mobile.{1,100}(Instagram).(\d+)\.(\d+)\.(\d+)", new[] { "instagram" })]
    [TestCase(@"(?:^|[^g])news(?!sapphire)", new[] { "news" })]
    [TestCase(@"(?<! cu)bots?(?:\b|_)", new[] { "bot" })]
    [TestCase(@"(Twitter for (?:iPhone|iPad)|TwitterAndroid)(?:\/(\d+)\.(\d+)|)", new[] { "twitter for ", "twitterandroid" })]
    [TestCase(@"\[(FBAN/MessengerForiOS|FB_IAB/MESSENGER);FBAV/(\d+)", new[] { "fban/messengerforios", "fb_iab/messenger" })]
    [TestCase(@"(Pinterest)(?: for Android(?: Tablet|)|)/(\d+)", new[] { "pinterest" })]
    [TestCase(@"xya+b", new[] { "xya" })]
    [TestCase(@"^.{0,200}?((?:[A-Za-z][A-Za-z0-9 -]{0,50}|)[^C][^Uu][Bb]ot)\b", new[] { "bot" })]
    [TestCase(@"(?:[Ss][Pp][Ii][Dd][Ee][Rr]|[Ss]crape|[Cc][Rr][Aa][Ww][Ll])", new[] { "spider", "scrape", "crawl" })]
    [TestCase(@"a[.]bc", new[] { "a.bc" })]
    [TestCase(@"pinterest\.com\/bot", new[] { "pinterest.com/bot" })]
    public void Of_FindsTheLiteralsEveryMatchHolds(string pattern, string[] expected)
    {
        Assert.That(RequiredLiterals.Of(pattern), Is.EquivalentTo(expected));
    }

    [TestCase(@"^[\w \.\-\(?:\):%]+(?:\/v?\d+(?:\.\d+)?(?:\.\d{1,10})*?)?(?:,|$)")]
    [TestCase(@";\s\w+;$")]
    [TestCase(@"(?:abc|\d+)")]
    [TestCase(@"(?x) a b c")]
    [TestCase(@"(abc)?def?")]
    public void Of_WhenNoLiteralOfThreeCharactersIsRequired_IsNull(string pattern)
    {
        Assert.That(RequiredLiterals.Of(pattern), Is.Null);
    }

    [Test]
    public void Prefilter_MarksPatternsWhoseLiteralOccursInAnyCase_AndThoseWithout()
    {
        var prefilter = new LiteralPrefilter([["bot"], ["spider", "crawl"], null, ["slack"]]);
        var found = new ulong[prefilter.Words];

        var scanned = prefilter.TryFind("Mozilla/5.0 (compatible; WebCRAWLer/1.0)", found);

        Assert.That(scanned, Is.True);
        Assert.That(Enumerable.Range(0, 4).Where(i => LiteralPrefilter.IsSet(found, i)), Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public void Prefilter_WhenTextIsNotAscii_LeavesEveryPatternToRun()
    {
        var prefilter = new LiteralPrefilter([["kind"]]);
        var found = new ulong[prefilter.Words];

        Assert.That(prefilter.TryFind("\u212Aind", found), Is.False);
    }
}
