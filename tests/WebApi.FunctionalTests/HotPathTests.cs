using System.Net;
using System.Text.Json;
using Asp.Versioning;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;
using LinkTracking.WebApi.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// The redirect's hot path (issue 10 item 6): <c>/track/…</c> skips API-key authentication, authorization, antiforgery
/// and API versioning, and answers exactly as before; every other route still authenticates.
/// </summary>
public sealed class HotPathTests(TestProvider provider) : ApiFixture(provider)
{
    [Test]
    public async Task Redirect_CarryingAnApiKey_RedirectsWithoutAuthenticatingIt_SoTheKeyIsNotMarkedUsed()
    {
        var trackingId = await CreateLinkIdAsync();
        using var created = await PostJsonAsync(Admin, $"{Api}/api-keys", new { name = "sent-to-the-redirect", scopes = new[] { "analytics:read" } });
        var secret = (await ReadJsonAsync(created)).GetProperty("key").GetString()!;
        using var withKey = Factory.ClientWithKey(secret);

        using var redirect = await withKey.GetAsync($"/track/{trackingId}");
        var afterRedirect = await LastUsedAsync("sent-to-the-redirect");
        using var api = await withKey.GetAsync($"{Api}/report");
        var afterApi = await LastUsedAsync("sent-to-the-redirect");

        Assert.That(redirect.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(afterRedirect.ValueKind, Is.EqualTo(JsonValueKind.Null), "the redirect read the key: it was marked used");
        Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(afterApi.ValueKind, Is.EqualTo(JsonValueKind.String), "an API route must still authenticate the key");
    }

    [TestCase("X-API-Key", "ltk_wrong")]
    [TestCase("X-API-Key", "")]
    public async Task Redirect_WithAWrongKey_StillRedirects_WhileTheApiRefusesIt(string header, string value)
    {
        var trackingId = await CreateLinkIdAsync();
        using var redirect = new HttpRequestMessage(HttpMethod.Get, $"/track/{trackingId}");
        redirect.Headers.TryAddWithoutValidation(header, value);
        using var api = new HttpRequestMessage(HttpMethod.Get, $"{Api}/report");
        api.Headers.TryAddWithoutValidation(header, value);

        using var redirected = await Anonymous.SendAsync(redirect);
        using var refused = await Anonymous.SendAsync(api);

        Assert.That(redirected.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(redirected.Headers.Location, Is.EqualTo(new Uri("https://example.com/landing")));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    /// <summary>The redirect is version-neutral: a link shared with an <c>api-version</c> in its query still works.</summary>
    [TestCase("9.0")]
    [TestCase("1.0")]
    [TestCase("not-a-version")]
    public async Task Redirect_WithAnApiVersionInTheQuery_IgnoresIt(string version)
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await Anonymous.GetAsync($"/track/{trackingId}?api-version={version}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(response.Headers.Location, Is.EqualTo(new Uri("https://example.com/landing")));
    }

    [Test]
    public async Task TheHotPath_IsExactlyTheAnonymousTrackRoutes_WithoutVersioningOrAuthorizationMetadata()
    {
        using var warm = await Anonymous.GetAsync("/health/live");
        var endpoints = Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        var hot = endpoints.Where(e => e.Metadata.GetMetadata<HotPathAttribute>() is not null).ToList();

        // The branded short links (ADR 0023) are the same redirect on configured short paths only.
        Assert.That(hot.Select(e => e.RoutePattern.RawText).Distinct(), Is.EquivalentTo(new[]
        {
            "track/{trackingId}", "/track/health", "{shortPath:brandedShortPath}/{shortCode}", "{shortCode:brandedRootCode}",
        }));
        Assert.That(hot, Has.All.Matches<RouteEndpoint>(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null), "a hot-path endpoint must allow anonymous access");
        Assert.That(hot, Has.None.Matches<RouteEndpoint>(e => e.Metadata.GetMetadata<IAuthorizeData>() is not null), "a hot-path endpoint must not ask for authorization");
        Assert.That(hot, Has.None.Matches<RouteEndpoint>(e => e.Metadata.GetMetadata<ApiVersionMetadata>() is not null), "versioning's routing policy would still run for it");
        Assert.That(
            endpoints.Where(e => e.RoutePattern.RawText?.Contains("link-tracking", StringComparison.Ordinal) == true),
            Has.All.Matches<RouteEndpoint>(e => e.Metadata.GetMetadata<ApiVersionMetadata>() is not null),
            "the API's own routes keep their versions");
    }

    private async Task<JsonElement> LastUsedAsync(string name) =>
        (await GetJsonAsync($"{Api}/api-keys")).EnumerateArray().Single(k => k.GetProperty("name").GetString() == name).GetProperty("last_used_at");
}
