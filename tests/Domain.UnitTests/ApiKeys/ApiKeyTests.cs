using LinkTracking.Domain.ApiKeys;
using LinkTracking.Domain.Common;

namespace LinkTracking.Domain.UnitTests.ApiKeys;

public sealed class ApiKeyTests
{
    private static readonly DateTime Now = new(2025, 7, 27, 21, 15, 30, DateTimeKind.Utc);
    private const string Hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    [Test]
    public void Create_WithAValidNameAndScopes_KeepsThemAndIsNotRevoked()
    {
        var key = Key("ops", Scope.LinksWrite, Scope.AnalyticsRead);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(key.Name, Is.EqualTo("ops"));
            Assert.That(key.ScopeList, Is.EqualTo(new[] { "links:write", "analytics:read" }));
            Assert.That(key.KeyHash, Is.EqualTo(Hash));
            Assert.That(key.KeyPrefix, Is.EqualTo("lk_abcd"));
            Assert.That(key.CreatedAt, Is.EqualTo(Now));
            Assert.That(key.IsRevoked, Is.False);
            Assert.That(key.Id, Is.Not.EqualTo(Guid.Empty));
        }
    }

    [Test]
    public void UseIsWorthRecording_OnlyOnceTheResolutionHasPassedSinceTheLastRecordedUse()
    {
        var key = Key("ops", Scope.Admin);
        var resolution = TimeSpan.FromMinutes(1);
        var neverUsed = key.UseIsWorthRecording(Now, resolution);
        key.MarkUsed(Now);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(neverUsed, Is.True);
            Assert.That(key.UseIsWorthRecording(Now.AddSeconds(59), resolution), Is.False);
            Assert.That(key.UseIsWorthRecording(Now.AddSeconds(61), resolution), Is.True);
        }
    }

    [Test]
    public void Create_WhenAScopeIsRepeated_KeepsItOnce()
    {
        var key = Key("ops", Scope.LinksWrite, Scope.LinksWrite);

        Assert.That(key.ScopeList, Is.EqualTo(new[] { "links:write" }));
    }

    [TestCase("")]
    [TestCase("   ")]
    public void Create_WhenNameIsBlank_IsRejectedNamingName(string name)
    {
        var ex = Assert.Throws<DomainRuleException>(() => Key(name, Scope.Admin));

        Assert.That(ex.Field, Is.EqualTo("name"));
    }

    [Test]
    public void Create_WhenNameIsOver100Characters_IsRejectedNamingName()
    {
        var ex = Assert.Throws<DomainRuleException>(() => Key(new string('n', 101), Scope.Admin));

        Assert.That(ex.Field, Is.EqualTo("name"));
    }

    [Test]
    public void Create_WhenNameIsExactly100Characters_IsAccepted()
    {
        var key = Key(new string('n', 100), Scope.Admin);

        Assert.That(key.Name, Has.Length.EqualTo(100));
    }

    [Test]
    public void Create_WithoutScopes_IsRejectedNamingScopes()
    {
        var ex = Assert.Throws<DomainRuleException>(() => Key("ops"));

        Assert.That(ex.Field, Is.EqualTo("scopes"));
    }

    [TestCase("links:read")]
    [TestCase("ADMIN")]
    [TestCase("links:write admin")]
    [TestCase("")]
    public void Create_WithAnUnknownScope_IsRejectedNamingScopes(string scope)
    {
        var ex = Assert.Throws<DomainRuleException>(() => Key("ops", Scope.ClicksWrite, scope));

        Assert.That(ex.Field, Is.EqualTo("scopes"));
    }

    [Test]
    public void Grants_OnlyTheScopesTheKeyHas()
    {
        var key = Key("partner", Scope.ClicksWrite);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(key.Grants(Scope.ClicksWrite), Is.True);
            Assert.That(key.Grants(Scope.LinksWrite), Is.False);
            Assert.That(key.Grants(Scope.AnalyticsRead), Is.False);
            Assert.That(key.Grants(Scope.Admin), Is.False);
        }
    }

    [TestCase(Scope.LinksWrite)]
    [TestCase(Scope.ClicksWrite)]
    [TestCase(Scope.AnalyticsRead)]
    [TestCase(Scope.Admin)]
    public void Grants_ForAnAdminKey_ImpliesEveryScope(string scope)
    {
        var key = Key("ops", Scope.Admin);

        Assert.That(key.Grants(scope), Is.True);
    }

    [TestCase(Scope.LinksWrite)]
    [TestCase(Scope.ClicksWrite)]
    [TestCase(Scope.AnalyticsRead)]
    [TestCase(Scope.Admin)]
    public void Grants_ForARevokedKey_IsNothingEvenForAdmin(string scope)
    {
        var key = Key("ops", Scope.Admin, Scope.LinksWrite);
        key.Revoke(Now.AddDays(1));

        var granted = key.Grants(scope);

        Assert.That(granted, Is.False);
    }

    [Test]
    public void Revoke_Twice_KeepsTheFirstRevocationTime()
    {
        var key = Key("ops", Scope.Admin);
        key.Revoke(Now.AddDays(1));

        key.Revoke(Now.AddDays(2));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(key.IsRevoked, Is.True);
            Assert.That(key.RevokedAt, Is.EqualTo(Now.AddDays(1)));
        }
    }

    private static ApiKey Key(string name, params string[] scopes) => ApiKey.Create(name, scopes, Hash, "lk_abcd", Now);
}
