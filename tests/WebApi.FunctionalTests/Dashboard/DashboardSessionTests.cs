using System.Net;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.ApiKeys;
using LinkTracking.Infrastructure.Persistence;
using LinkTracking.Infrastructure.Security;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracking.WebApi.FunctionalTests.Dashboard;

/// <summary>
/// Dashboard sessions live on the server: a copy of the cookie is worthless after sign-out or after the key is
/// revoked, and a session ends after 8 idle hours and, however busy, at <c>Dashboard:SessionLifetime</c> (12 h).
/// </summary>
public sealed class DashboardSessionTests(TestProvider provider) : ApiFixture(provider)
{
    private const string Ip = "198.51.100.77";

    [Test]
    public async Task SignOut_ThenACopyOfTheCookieTakenBefore_IsSentToSignIn()
    {
        var (browser, cookie) = await DashboardBrowser.SignInAsync(Factory, Ip, LinkTrackingApiFactory.AdminKey);
        using var _ = browser;
        using var beforeSignOut = await DashboardBrowser.ReplayAsync(Factory, cookie);

        using var signOut = await DashboardBrowser.SignOutAsync(browser);
        using var replayed = await DashboardBrowser.ReplayAsync(Factory, cookie, "/dashboard/jobs");

        Assert.That(beforeSignOut.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the copy worked while signed in");
        Assert.That(signOut.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        AssertSentToSignIn(replayed);
    }

    [Test]
    public async Task SignOut_EndsOnlyThatSession()
    {
        var (first, firstCookie) = await DashboardBrowser.SignInAsync(Factory, Ip, LinkTrackingApiFactory.AdminKey);
        var (second, secondCookie) = await DashboardBrowser.SignInAsync(Factory, Ip, LinkTrackingApiFactory.AdminKey);
        using var _ = first;
        using var __ = second;

        using var signOut = await DashboardBrowser.SignOutAsync(first);
        using var firstReplayed = await DashboardBrowser.ReplayAsync(Factory, firstCookie);
        using var secondReplayed = await DashboardBrowser.ReplayAsync(Factory, secondCookie);

        AssertSentToSignIn(firstReplayed);
        Assert.That(secondReplayed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task RevokingTheKey_DeletesEveryOneOfItsSessions_AndLeavesOtherKeysSignedIn()
    {
        var (keyId, secret) = await CreateReadKeyAsync();
        var (one, oneCookie) = await DashboardBrowser.SignInAsync(Factory, Ip, secret);
        var (two, twoCookie) = await DashboardBrowser.SignInAsync(Factory, Ip, secret);
        var (other, otherCookie) = await DashboardBrowser.SignInAsync(Factory, Ip, LinkTrackingApiFactory.AdminKey);
        using var _ = one;
        using var __ = two;
        using var ___ = other;
        var before = await SessionRowsAsync(keyId);

        using var revoked = await Admin.DeleteAsync($"{Api}/api-keys/{keyId}");
        var after = await SessionRowsAsync(keyId);
        using var oneReplayed = await DashboardBrowser.ReplayAsync(Factory, oneCookie);
        using var twoReplayed = await DashboardBrowser.ReplayAsync(Factory, twoCookie);
        using var otherReplayed = await DashboardBrowser.ReplayAsync(Factory, otherCookie);

        Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(before, Is.EqualTo(2));
        Assert.That(after, Is.Zero, "the key's sessions are deleted with the revocation, not on their next page");
        AssertSentToSignIn(oneReplayed);
        AssertSentToSignIn(twoReplayed);
        Assert.That(otherReplayed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task ASessionInUse_StaysOpenPastTheIdleWindow_ButEndsAtItsAbsoluteLifetime()
    {
        var (browser, cookie) = await DashboardBrowser.SignInAsync(Factory, Ip, LinkTrackingApiFactory.AdminKey);
        using var _ = browser;
        var statuses = new List<HttpStatusCode>();
        for (var hour = 3; hour <= 9; hour += 3)
        {
            Factory.Time.Advance(TimeSpan.FromHours(3));
            using var page = await browser.GetAsync("/dashboard/jobs");
            statuses.Add(page.StatusCode);
        }

        Factory.Time.Advance(TimeSpan.FromHours(3) - TimeSpan.FromSeconds(1));
        using var justBefore = await browser.GetAsync("/dashboard/jobs");
        Factory.Time.Advance(TimeSpan.FromSeconds(1));
        using var atTheEnd = await browser.GetAsync("/dashboard/jobs");
        using var copy = await DashboardBrowser.ReplayAsync(Factory, cookie);

        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK), "pages every 3 h keep the session alive past 8 h (sliding)");
        Assert.That(justBefore.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        AssertSentToSignIn(atTheEnd);
        AssertSentToSignIn(copy);
    }

    [Test]
    public async Task ASessionUnused_EndsAfterTheIdleWindow()
    {
        var (browser, _) = await DashboardBrowser.SignInAsync(Factory, Ip, LinkTrackingApiFactory.AdminKey);
        using var __ = browser;

        Factory.Time.Advance(TimeSpan.FromHours(8) + TimeSpan.FromSeconds(1));
        using var page = await browser.GetAsync("/dashboard");

        AssertSentToSignIn(page);
    }

    [Test]
    public async Task TheCleanupJob_DeletesEndedSessions_AndKeepsOpenOnes()
    {
        var (keyId, secret) = await CreateReadKeyAsync();
        var (old, _) = await DashboardBrowser.SignInAsync(Factory, Ip, secret);
        Factory.Time.Advance(TimeSpan.FromHours(5));
        var (fresh, freshCookie) = await DashboardBrowser.SignInAsync(Factory, Ip, secret);
        using var __ = old;
        using var ___ = fresh;
        Factory.Time.Advance(TimeSpan.FromHours(4));

        // The job's own timer runs on the fake clock too and may have got there first: run a pass and look at what is left.
        await Factory.Services.GetRequiredService<DashboardSessionCleanupJob>().RunOnceAsync(CancellationToken.None);
        var left = await SessionRowsAsync(keyId);
        using var freshReplayed = await DashboardBrowser.ReplayAsync(Factory, freshCookie);

        Assert.That(left, Is.EqualTo(1), "the session idle for 9 h is deleted, the one idle for 4 h is kept");
        Assert.That(freshReplayed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private static void AssertSentToSignIn(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), $"{response.RequestMessage?.RequestUri} was served");
        Assert.That(response.Headers.Location?.OriginalString, Does.StartWith("/dashboard/sign-in").Or.Contains("://localhost/dashboard/sign-in"));
    }

    private async Task<(Guid Id, string Secret)> CreateReadKeyAsync()
    {
        var secret = await Factory.CreateApiKeyAsync(Scope.AnalyticsRead);
        await using var scope = Factory.Services.CreateAsyncScope();
        var key = await scope.ServiceProvider.GetRequiredService<IApiKeyStore>().FindByHashAsync(ApiKeySecrets.Hash(secret), CancellationToken.None);
        return (key!.Id, secret);
    }

    private async Task<int> SessionRowsAsync(Guid keyId)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>().DashboardSessions.CountAsync(s => s.ApiKeyId == keyId);
    }
}
