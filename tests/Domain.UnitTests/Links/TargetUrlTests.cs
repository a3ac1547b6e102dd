using LinkTracking.Domain.Common;
using LinkTracking.Domain.Links;

namespace LinkTracking.Domain.UnitTests.Links;

public sealed class TargetUrlTests
{
    [TestCase("https://www.linkedin.com/in/jane-doe")]
    [TestCase("http://example.com/")]
    [TestCase("https://jobs.example.co.uk/apply?id=42&src=mail#top")]
    [TestCase("https://example.com:8443/path")]
    public void Create_WhenUrlIsAbsoluteHttpOrHttps_IsAcceptedUnchanged(string value)
    {
        var url = TargetUrl.Create(value);

        Assert.That(url.Value, Is.EqualTo(value));
    }

    [TestCase("javascript:alert(1)")]
    [TestCase("JavaScript:alert(document.cookie)")]
    [TestCase("javascript://example.com/%0aalert(1)")]
    [TestCase("data:text/html,<script>alert(1)</script>")]
    [TestCase("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==")]
    [TestCase("ftp://example.com/file.txt")]
    [TestCase("mailto:jane@example.com")]
    [TestCase("file:///etc/passwd")]
    [TestCase("ws://example.com/socket")]
    [TestCase("vbscript:msgbox(1)")]
    public void Create_WhenSchemeIsNotHttpOrHttps_IsRejected(string value)
    {
        var created = TargetUrl.TryCreate(value, out var url, out var error);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(created, Is.False);
            Assert.That(url, Is.Null);
            Assert.That(error, Is.Not.Empty);
        }
    }

    [TestCase("https://user:secret@example.com/")]
    [TestCase("https://user@example.com/")]
    [TestCase("https://example.com@evil.com/")]
    [TestCase("https://good.com%2f@evil.com/")]
    [TestCase("https://good.com%40evil.com@evil.com/")]
    public void Create_WhenUrlHasUserInfo_IsRejected(string value)
    {
        var created = TargetUrl.TryCreate(value, out _, out var error);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(created, Is.False);
            Assert.That(error, Does.Contain("user-info"));
        }
    }

    [TestCase("https://example.com/a b")]
    [TestCase(" https://example.com/")]
    [TestCase("https://example.com/ ")]
    [TestCase("https://exa mple.com/")]
    [TestCase("https://example.com/\ta")]
    [TestCase("https://example.com/\u00a0")]
    [TestCase("https://example.com/\u2028")]
    public void Create_WhenUrlHasWhitespace_IsRejected(string value)
    {
        var created = TargetUrl.TryCreate(value, out _, out var error);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(created, Is.False);
            Assert.That(error, Does.Contain("whitespace"));
        }
    }

    [TestCase("https://example.com/\r\nSet-Cookie: a=b")]
    [TestCase("https://example.com/\nLocation: https://evil.com/")]
    [TestCase("https://example.com/\r")]
    public void Create_WhenUrlHasCrOrLf_IsRejected(string value)
    {
        var created = TargetUrl.TryCreate(value, out _, out _);

        Assert.That(created, Is.False);
    }

    [TestCase("https://example.com/\0")]
    [TestCase("https://example.com/\u0007")]
    [TestCase("https://example.com/\u001b[31m")]
    [TestCase("https://example.com/\u007f")]
    [TestCase("https://example.com/\u0085")]
    [TestCase("https://exa\u0000mple.com/")]
    public void Create_WhenUrlHasControlCharacters_IsRejected(string value)
    {
        var created = TargetUrl.TryCreate(value, out _, out var error);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(created, Is.False);
            Assert.That(error, Does.Contain("control characters"));
        }
    }

    [TestCase(@"https:\\evil.com")]
    [TestCase(@"https:/\evil.com")]
    [TestCase(@"https://good.com\@evil.com")]
    [TestCase(@"https://good.com\evil.com")]
    [TestCase(@"https://good.com/\\evil.com")]
    public void Create_WhenUrlHasBackslashTricks_IsRejected(string value)
    {
        var created = TargetUrl.TryCreate(value, out _, out var error);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(created, Is.False);
            Assert.That(error, Does.Contain("backslash"));
        }
    }

    [TestCase("/careers/apply")]
    [TestCase("//evil.com/path")]
    [TestCase("example.com/path")]
    [TestCase("apply?id=1")]
    [TestCase("https:evil.com")]
    [TestCase("http:/evil.com")]
    [TestCase("https:///evil.com")]
    [TestCase("https://")]
    public void Create_WhenUrlIsRelativeOrSchemeRelative_IsRejected(string value)
    {
        var created = TargetUrl.TryCreate(value, out _, out _);

        Assert.That(created, Is.False);
    }

    [TestCase(null)]
    [TestCase("")]
    public void Create_WhenUrlIsMissing_IsRejectedNamingOriginalUrl(string? value)
    {
        var ex = Assert.Throws<DomainRuleException>(() => TargetUrl.Create(value));

        Assert.That(ex.Field, Is.EqualTo("original_url"));
    }

    [Test]
    public void Create_WhenUrlIsExactly1000Characters_IsAccepted()
    {
        var value = UrlOfLength(TargetUrl.MaxLength);

        var url = TargetUrl.Create(value);

        Assert.That(url.Value, Has.Length.EqualTo(1000));
    }

    [Test]
    public void Create_WhenUrlIsOver1000Characters_IsRejected()
    {
        var value = UrlOfLength(TargetUrl.MaxLength + 1);

        var ex = Assert.Throws<DomainRuleException>(() => TargetUrl.Create(value));

        Assert.That(ex.Message, Does.Contain("1000"));
    }

    [Test]
    public void Create_WhenUrlOutgrowsTheLimitOncePunycodeEncoded_IsRejected()
    {
        // 1000 characters as typed, longer once the host is in its ASCII form.
        const string prefix = "https://bücher.example/";
        var value = prefix + new string('a', TargetUrl.MaxLength - prefix.Length);

        var created = TargetUrl.TryCreate(value, out _, out var error);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(created, Is.False);
            Assert.That(error, Does.Contain("normalised"));
        }
    }

    [TestCase("https://intranet/")]
    [TestCase("http://printer:8080/status")]
    [TestCase("https://com/")]
    [TestCase("https://intranet./")]
    public void Create_WhenHostIsASingleLabel_IsRejected(string value)
    {
        var created = TargetUrl.TryCreate(value, out _, out var error);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(created, Is.False);
            Assert.That(error, Does.Contain("fully qualified"));
        }
    }

    [Test]
    public void Create_WhenHostIsInternational_StoresItAsPunycode()
    {
        var url = TargetUrl.Create("https://bücher.example/");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(url.Host, Is.EqualTo("xn--bcher-kva.example"));
            Assert.That(url.Value, Is.EqualTo("https://xn--bcher-kva.example/"));
        }
    }

    [Test]
    public void Create_WhenHostIsInternational_KeepsPathQueryAndFragment()
    {
        var url = TargetUrl.Create("https://bücher.example/päth?q=ü#top");

        Assert.That(url.Value, Is.EqualTo("https://xn--bcher-kva.example/p%C3%A4th?q=%C3%BC#top"));
    }

    [Test]
    public void Create_WhenHostIsACyrillicHomograph_ExposesItAsPunycode()
    {
        // The first letter is U+0430 CYRILLIC SMALL LETTER A, not a Latin 'a'.
        var url = TargetUrl.Create("https://\u0430pple.com/login");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(url.Host, Does.StartWith("xn--"));
            Assert.That(url.Host, Is.Not.EqualTo("apple.com"));
            Assert.That(url.Value, Does.StartWith("https://xn--"));
            Assert.That(url.Value.All(char.IsAscii), Is.True);
        }
    }

    [Test]
    public void Create_WhenHostHasUppercase_StoresItLowercase()
    {
        var url = TargetUrl.Create("HTTPS://Jobs.Example.COM/Apply");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(url.Host, Is.EqualTo("jobs.example.com"));
            Assert.That(url.Value, Is.EqualTo("https://jobs.example.com/Apply"));
        }
    }

    [TestCase("http://203.0.113.5/", "203.0.113.5")]
    [TestCase("https://[2001:db8::1]/admin", "2001:db8::1")]
    [TestCase("http://2130706433/", "127.0.0.1")]
    [TestCase("http://0x7f.1/", "127.0.0.1")]
    public void Create_WhenHostIsAnIpAddress_IsFlaggedAsIpLiteral(string value, string expectedHost)
    {
        var url = TargetUrl.Create(value);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(url.IsIpLiteral, Is.True);
            Assert.That(url.Host, Is.EqualTo(expectedHost));
        }
    }

    [Test]
    public void Create_WhenHostIsADomainName_IsNotFlaggedAsIpLiteral()
    {
        var url = TargetUrl.Create("https://203-0-113-5.example.com/");

        Assert.That(url.IsIpLiteral, Is.False);
    }

    [Test]
    public void Rehydrate_KeepsTheStoredValueEvenWhenTodaysRulesWouldRefuseIt()
    {
        const string stored = "https://intranet/wiki";

        var url = TargetUrl.Rehydrate(stored);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(url.Value, Is.EqualTo(stored));
            Assert.That(TargetUrl.TryCreate(stored, out _, out _), Is.False);
        }
    }

    [TestCase("https://www.linkedin.com/in/jane-doe?x=1")]
    [TestCase("https://bücher.example/")]
    [TestCase("http://[2001:db8::1]:8080/")]
    public void Rehydrate_OfACreatedUrl_EqualsTheCreatedUrl(string value)
    {
        var created = TargetUrl.Create(value);

        var rehydrated = TargetUrl.Rehydrate(created.Value);

        Assert.That(rehydrated, Is.EqualTo(created));
    }

    private static string UrlOfLength(int length)
    {
        const string prefix = "https://example.com/";
        return prefix + new string('a', length - prefix.Length);
    }
}
