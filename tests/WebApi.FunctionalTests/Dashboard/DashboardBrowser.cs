using System.Net;
using System.Text.RegularExpressions;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LinkTracking.WebApi.FunctionalTests.Dashboard;

/// <summary>A browser of the dashboard over plain HTTP: it keeps its cookies and posts forms with their csrf token.</summary>
public static partial class DashboardBrowser
{
    public const string CookieName = "lt_dashboard";

    /// <summary>A client with a cookie jar, not following redirects, from <paramref name="ip"/>.</summary>
    public static HttpClient Open(LinkTrackingApiFactory factory, string ip)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Add(LinkTrackingApiFactory.RemoteIpHeader, ip);
        client.DefaultRequestHeaders.Add("Accept", "text/html");
        return client;
    }

    /// <summary>Signs in with <paramref name="key"/>; returns the browser and the session cookie's value.</summary>
    public static async Task<(HttpClient Browser, string SessionCookie)> SignInAsync(LinkTrackingApiFactory factory, string ip, string key)
    {
        var browser = Open(factory, ip);
        using var signedIn = await PostSignInAsync(browser, await CsrfTokenAsync(browser, "/dashboard/sign-in"), key);
        Assert.That(signedIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await signedIn.Content.ReadAsStringAsync());
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith(CookieName + "=", StringComparison.Ordinal));
        return (browser, cookie[(CookieName.Length + 1)..]);
    }

    /// <summary>The csrf token of the first form on <paramref name="path"/>.</summary>
    public static async Task<string> CsrfTokenAsync(HttpClient browser, string path)
    {
        ArgumentNullException.ThrowIfNull(browser);
        using var form = await browser.GetAsync(path);
        var html = await form.Content.ReadAsStringAsync();
        return CsrfToken().Match(html) is { Success: true } match ? match.Groups[1].Value : throw new AssertionException($"no csrf_token on {path}: " + html);
    }

    public static Task<HttpResponseMessage> PostSignInAsync(HttpClient browser, string token, string key)
    {
        ArgumentNullException.ThrowIfNull(browser);
        return browser.PostAsync("/dashboard/sign-in", new FormUrlEncodedContent(new Dictionary<string, string> { ["csrf_token"] = token, ["api_key"] = key, ["return_url"] = "" }));
    }

    /// <summary>Presses the layout's sign-out button.</summary>
    public static async Task<HttpResponseMessage> SignOutAsync(HttpClient browser)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var token = await CsrfTokenAsync(browser, "/dashboard");
        return await browser.PostAsync("/dashboard/sign-out", new FormUrlEncodedContent(new Dictionary<string, string> { ["csrf_token"] = token }));
    }

    /// <summary>A GET of <paramref name="path"/> by another client that sends only a copy of a session cookie.</summary>
    public static async Task<HttpResponseMessage> ReplayAsync(LinkTrackingApiFactory factory, string sessionCookie, string path = "/dashboard")
    {
        ArgumentNullException.ThrowIfNull(factory);
        using var thief = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", $"{CookieName}={sessionCookie}");
        request.Headers.Add("Accept", "text/html");
        return await thief.SendAsync(request);
    }

    [GeneratedRegex("name=\"csrf_token\"[^>]*?value=\"([^\"]+)\"")]
    private static partial Regex CsrfToken();
}
