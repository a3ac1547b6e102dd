using LinkTracking.Domain.ApiKeys;
using Microsoft.Playwright;

namespace LinkTracking.Dashboard.BrowserTests;

/// <summary>Signing in with an API key, the session cookie, signing out, revocation and the write scope.</summary>
public sealed class SessionTests : BrowserFixture
{
    [Test]
    public async Task SignIn_WithAWrongKey_ShowsTheErrorAndStaysSignedOut()
    {
        await SignInAsync("ltk_NotAKeyAnybodyHas000000000000000000000");

        await Assertions.Expect(Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("unknown, revoked, or lacks the analytics:read scope");
        await Page.GotoAsync("/dashboard");
        Assert.That(new Uri(Page.Url).AbsolutePath, Is.EqualTo("/dashboard/sign-in"));
    }

    [Test]
    public async Task SignIn_WithAKeyWithoutAnalyticsRead_IsRefused()
    {
        var (_, secret) = await Server.CreateKeyAsync(Scope.ClicksWrite);

        await SignInAsync(secret);

        await Assertions.Expect(Page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        Assert.That(await Context.CookiesAsync(), Has.None.Matches<BrowserContextCookiesResult>(c => c.Name == "lt_dashboard"));
    }

    [Test]
    public async Task SignIn_WithAReadKey_OpensTheOverview_AndKeepsTheKeyOutOfThePageTheUrlAndStorage()
    {
        var (_, secret) = await Server.CreateKeyAsync(Scope.AnalyticsRead);

        await SignInAsync(secret);

        Assert.That(new Uri(Page.Url).AbsolutePath, Is.EqualTo("/dashboard"));
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Exact = true })).ToBeVisibleAsync();
        var session = (await Context.CookiesAsync()).Single(c => c.Name == "lt_dashboard");
        var storage = await Page.EvaluateAsync<string>("() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie");
        Assert.Multiple(async () =>
        {
            Assert.That(session.HttpOnly, Is.True);
            Assert.That(session.SameSite, Is.EqualTo(SameSiteAttribute.Strict));
            Assert.That(session.Path, Is.EqualTo("/dashboard"));
            Assert.That(session.Value, Does.Not.Contain(secret));
            Assert.That(Page.Url, Does.Not.Contain(secret));
            Assert.That(await Page.ContentAsync(), Does.Not.Contain(secret));
            Assert.That(storage, Does.Not.Contain(secret));
            Assert.That(await Page.GetByRole(AriaRole.Link, new() { Name = "New link" }).CountAsync(), Is.Zero, "a read-only key sees no forms");
        });
    }

    [Test]
    public async Task SignOut_EndsTheSession_AndTheDashboardAsksForAKeyAgain()
    {
        var (_, secret) = await Server.CreateKeyAsync(Scope.AnalyticsRead);
        await SignInAsync(secret);

        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Page.WaitForURLAsync("**/dashboard/sign-in");
        var jobs = await Page.GotoAsync("/dashboard/jobs");

        Assert.That(new Uri(Page.Url).AbsolutePath, Is.EqualTo("/dashboard/sign-in"));
        Assert.That(await Page.Locator("#jobs").CountAsync(), Is.Zero);
        Assert.That(jobs!.Request.RedirectedFrom, Is.Not.Null, "the jobs page redirected to the sign-in page");
    }

    [Test]
    public async Task SignOut_ThenACopyOfTheSessionCookieTakenBefore_OpensOnlyTheSignInPage()
    {
        var (_, secret) = await Server.CreateKeyAsync(Scope.AnalyticsRead);
        await SignInAsync(secret);
        var copy = (await Context.CookiesAsync()).Single(c => c.Name == "lt_dashboard");
        await using var thief = await DashboardSession.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Server.BaseUrl });
        await thief.AddCookiesAsync([new Cookie { Name = copy.Name, Value = copy.Value, Domain = copy.Domain, Path = copy.Path, HttpOnly = true, SameSite = SameSiteAttribute.Strict }]);
        var stolen = await thief.NewPageAsync();
        await stolen.GotoAsync("/dashboard/jobs");
        var beforeSignOut = new Uri(stolen.Url).AbsolutePath;

        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Page.WaitForURLAsync("**/dashboard/sign-in");
        await stolen.GotoAsync("/dashboard/jobs");

        Assert.That(beforeSignOut, Is.EqualTo("/dashboard/jobs"), "the copy opened the dashboard while the session lasted");
        Assert.That(new Uri(stolen.Url).AbsolutePath, Is.EqualTo("/dashboard/sign-in"));
        await Assertions.Expect(stolen.GetByLabel("API key")).ToBeVisibleAsync();
        Assert.That(await stolen.Locator("#jobs").CountAsync(), Is.Zero);
    }

    [Test]
    public async Task RevokingTheKey_EndsItsDashboardSessionOnTheNextPage()
    {
        var (id, secret) = await Server.CreateKeyAsync(Scope.AnalyticsRead);
        await SignInAsync(secret);
        await Page.GotoAsync("/dashboard/jobs");
        Assert.That(new Uri(Page.Url).AbsolutePath, Is.EqualTo("/dashboard/jobs"));

        await Server.RevokeKeyAsync(id);
        await Page.GotoAsync("/dashboard/jobs");

        Assert.That(new Uri(Page.Url).AbsolutePath, Is.EqualTo("/dashboard/sign-in"));
    }

    [Test]
    public async Task TheForms_WithAReadOnlyKey_AreRefused()
    {
        var (_, secret) = await Server.CreateKeyAsync(Scope.AnalyticsRead);
        await SignInAsync(secret);

        await Page.GotoAsync("/dashboard/links/new");

        Assert.That(new Uri(Page.Url).AbsolutePath, Is.EqualTo("/dashboard/forbidden"));
        Assert.That(await Page.Locator("form input[name='original_url']").CountAsync(), Is.Zero);
    }

    [Test]
    public async Task AFormPost_WithoutTheAntiforgeryToken_IsRejected()
    {
        var (_, secret) = await Server.CreateKeyAsync(Scope.AnalyticsRead, Scope.LinksWrite);
        await SignInAsync(secret);

        var response = await Page.APIRequest.PostAsync("/dashboard/links/new", new()
        {
            Form = Context.APIRequest.CreateFormData().Set("original_url", "https://example.org/").Set("link_function", "Portfolio"),
            MaxRedirects = 0,
        });

        Assert.That(response.Status, Is.EqualTo(400));
        var links = await Server.GetJsonAsync("/api/v1/link-tracking/links?link_function=Portfolio&page_size=200");
        Assert.That(links.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("original_url").GetString()), Has.None.EqualTo("https://example.org/"));
    }
}
