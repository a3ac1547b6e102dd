using LinkTracking.Domain.Clicks;

namespace LinkTracking.Domain.UnitTests.Clicks;

public sealed class ClickSourceTests
{
    private static readonly string[] NoDashboards = [];
    private static readonly string[] Dashboards = ["dashboard.example.com"];

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    public void Detect_WhenThereIsNoReferrer_IsDirect(string? referrer)
    {
        var source = ClickSource.Detect(referrer, NoDashboards);

        Assert.That(source, Is.EqualTo("direct"));
    }

    [TestCase("https://gmail.com/")]
    [TestCase("https://www.gmail.com/")]
    [TestCase("https://mail.google.com/mail/u/0/#inbox")]
    [TestCase("https://inbox.mail.google.com/")]
    [TestCase("https://outlook.com/")]
    [TestCase("https://eu.outlook.com/owa/")]
    [TestCase("https://outlook.live.com/mail/0/inbox")]
    [TestCase("https://mail.yahoo.com/d/folders/1")]
    [TestCase("https://us.mail.yahoo.com/")]
    [TestCase("HTTPS://MAIL.GOOGLE.COM/")]
    public void Detect_WhenReferrerIsAWebmailHostOrItsSubdomain_IsEmail(string referrer)
    {
        var source = ClickSource.Detect(referrer, NoDashboards);

        Assert.That(source, Is.EqualTo("email"));
    }

    [TestCase("https://linkedin.com/")]
    [TestCase("https://www.linkedin.com/feed/")]
    [TestCase("https://de.linkedin.com/in/jane")]
    [TestCase("https://lnkd.in/abc123")]
    [TestCase("https://WWW.LinkedIn.com/")]
    public void Detect_WhenReferrerIsLinkedInOrItsSubdomain_IsLinkedIn(string referrer)
    {
        var source = ClickSource.Detect(referrer, NoDashboards);

        Assert.That(source, Is.EqualTo("linkedin"));
    }

    [TestCase("https://indeed.com/")]
    [TestCase("https://www.indeed.com/viewjob?jk=123")]
    [TestCase("https://uk.indeed.com/")]
    public void Detect_WhenReferrerIsIndeedOrItsSubdomain_IsIndeed(string referrer)
    {
        var source = ClickSource.Detect(referrer, NoDashboards);

        Assert.That(source, Is.EqualTo("indeed"));
    }

    [TestCase("https://notgmail.com/")]
    [TestCase("https://gmail.com.evil.io/")]
    [TestCase("https://linkedin.com.evil.io/")]
    [TestCase("https://evil-linkedin.com/")]
    [TestCase("https://fakelinkedin.com/")]
    [TestCase("https://lnkd.in.evil.io/")]
    [TestCase("https://notindeed.com/")]
    [TestCase("https://indeed.com.jobs-scam.net/")]
    [TestCase("https://myoutlook.com/")]
    [TestCase("https://linkedin.com@evil.io/")]
    [TestCase("https://evil.io/?ref=linkedin.com")]
    [TestCase("https://evil.io/www.linkedin.com/")]
    public void Detect_WhenReferrerOnlyLooksLikeAKnownHost_IsExternal(string referrer)
    {
        var source = ClickSource.Detect(referrer, NoDashboards);

        Assert.That(source, Is.EqualTo("external"));
    }

    [TestCase("https://google.com/")]
    [TestCase("https://docs.google.com/document/d/1")]
    [TestCase("https://yahoo.com/")]
    [TestCase("https://news.yahoo.com/")]
    [TestCase("https://live.com/")]
    public void Detect_WhenReferrerIsOnlyTheParentOfAWebmailHost_IsExternal(string referrer)
    {
        var source = ClickSource.Detect(referrer, NoDashboards);

        Assert.That(source, Is.EqualTo("external"));
    }

    [TestCase("https://www.example.org/blog")]
    [TestCase("http://203.0.113.5/")]
    public void Detect_WhenReferrerIsAnyOtherSite_IsExternal(string referrer)
    {
        var source = ClickSource.Detect(referrer, NoDashboards);

        Assert.That(source, Is.EqualTo("external"));
    }

    [TestCase("not a url")]
    [TestCase("linkedin.com")]
    [TestCase("www.linkedin.com/feed")]
    [TestCase("http://")]
    [TestCase("://")]
    [TestCase("/relative/path")]
    [TestCase("https://exa mple.com/")]
    public void Detect_WhenReferrerCannotBeParsed_IsExternal(string referrer)
    {
        var source = ClickSource.Detect(referrer, NoDashboards);

        Assert.That(source, Is.EqualTo("external"));
    }

    [TestCase("https://dashboard.example.com/applications/42")]
    [TestCase("https://eu.dashboard.example.com/")]
    [TestCase("https://DASHBOARD.example.com/")]
    public void Detect_WhenReferrerIsAConfiguredDashboardHost_IsDashboard(string referrer)
    {
        var source = ClickSource.Detect(referrer, Dashboards);

        Assert.That(source, Is.EqualTo("dashboard"));
    }

    [TestCase("https://notdashboard.example.com/")]
    [TestCase("https://dashboard.example.com.evil.io/")]
    [TestCase("https://example.com/")]
    public void Detect_WhenReferrerOnlyLooksLikeADashboardHost_IsExternal(string referrer)
    {
        var source = ClickSource.Detect(referrer, Dashboards);

        Assert.That(source, Is.EqualTo("external"));
    }

    [Test]
    public void Detect_WhenNoDashboardHostIsConfigured_TreatsTheDashboardAsExternal()
    {
        var source = ClickSource.Detect("https://dashboard.example.com/", NoDashboards);

        Assert.That(source, Is.EqualTo("external"));
    }
}
