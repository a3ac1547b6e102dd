using System.Net;
using System.Text;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// Every API route of the running service against every kind of caller: no key, an unknown key, and a key of each
/// scope. The routes are discovered from the app's endpoints, so a route added without a scope (or without an
/// entry in <see cref="ExpectedScopes"/>) fails here before it ships.
/// </summary>
public sealed class RouteScopeMatrixTests(TestProvider provider) : ApiFixture(provider)
{
    private const string LinksWrite = "links:write";
    private const string ClicksWrite = "clicks:write";
    private const string AnalyticsRead = "analytics:read";
    private const string AdminScope = "admin";

    private const string VersionedPrefix = "api/v1/link-tracking/";
    private const string UnversionedPrefix = "api/link-tracking/";

    private static readonly string[] AllScopes = [LinksWrite, ClicksWrite, AnalyticsRead, AdminScope];

    /// <summary>
    /// The contract of API.md: each route (method and template under the API root) and the scopes besides
    /// <c>admin</c> that open it. <c>admin</c> opens every route; an empty list means admin only.
    /// </summary>
    private static readonly Dictionary<string, string[]> ExpectedScopes = new(StringComparer.Ordinal)
    {
        ["POST create"] = [LinksWrite],
        ["GET links/{trackingId}"] = [AnalyticsRead, ClicksWrite],
        ["GET links"] = [AnalyticsRead],
        ["POST links/{trackingId}/deactivate"] = [LinksWrite],
        ["POST links/{trackingId}/activate"] = [LinksWrite],
        ["PATCH links/{trackingId}"] = [LinksWrite],
        ["GET links/{trackingId}/history"] = [LinksWrite, AnalyticsRead],
        ["GET links/{trackingId}/qr"] = [AnalyticsRead],
        ["POST applications/{applicationId}/links"] = [LinksWrite],
        ["POST record-click"] = [ClicksWrite],
        ["POST record-clicks"] = [ClicksWrite],
        ["GET analytics/{trackingId}"] = [AnalyticsRead],
        ["GET jobs/{jobId}/summary"] = [AnalyticsRead],
        ["GET applications/{applicationId}/summary"] = [AnalyticsRead],
        ["POST applications/{applicationId}/outcomes"] = [LinksWrite],
        ["GET applications/{applicationId}/outcomes"] = [AnalyticsRead],
        ["DELETE applications/{applicationId}/outcomes/{id}"] = [LinksWrite],
        ["GET applications/{applicationId}/journey"] = [AnalyticsRead],
        ["GET report"] = [AnalyticsRead],
        ["GET clicks/export"] = [AnalyticsRead],
        ["GET orphan-visits"] = [AnalyticsRead],
        ["POST clicks/{clickId}/label"] = [LinksWrite],
        ["GET classification-rules"] = [LinksWrite],
        ["DELETE classification-rules/{id}"] = [LinksWrite],
        ["POST api-keys"] = [],
        ["GET api-keys"] = [],
        ["DELETE api-keys/{id}"] = [],
        ["DELETE privacy/clicks"] = [],
        ["POST webhooks"] = [],
        ["GET webhooks"] = [],
        ["DELETE webhooks/{id}"] = [],
        ["GET webhooks/{id}/deliveries"] = [],
        ["POST webhooks/{id}/deliveries/{deliveryId}/redeliver"] = [],
    };

    /// <summary>The service's authorization policies by name, and the scopes besides <c>admin</c> each accepts.</summary>
    private static readonly Dictionary<string, string[]> PolicyScopes = new(StringComparer.Ordinal)
    {
        [LinksWrite] = [LinksWrite],
        [ClicksWrite] = [ClicksWrite],
        [AnalyticsRead] = [AnalyticsRead],
        [AdminScope] = [],
        ["link:read"] = [AnalyticsRead, ClicksWrite],
        ["link-history:read"] = [LinksWrite, AnalyticsRead],
    };

    private static readonly string[] AnonymousRoutes = ["track/{trackingId}", "track/health", "health/live", "health/ready"];

    [Test]
    public void DiscoveredApiRoutes_AreExactlyTheExpectedTable_UnderBothRoots()
    {
        var discovered = DiscoverApiRoutes();
        var expected = ExpectedScopes.Keys
            .SelectMany(key => new[] { Absolute(key, VersionedPrefix), Absolute(key, UnversionedPrefix) })
            .ToList();

        Assert.That(discovered.Select(r => r.Key), Is.Unique, "one endpoint per method and route");
        Assert.That(
            discovered.Select(r => r.Key),
            Is.SubsetOf(expected),
            "a route the scope table does not know: add it to ExpectedScopes with the scopes API.md gives it");
        Assert.That(expected, Is.SubsetOf(discovered.Select(r => r.Key)), "a route of API.md is missing (every route exists versioned and unversioned)");
    }

    [Test]
    public void EveryApiRoute_AuthorizeMetadata_GrantsExactlyTheScopesOfTheTable()
    {
        var routes = DiscoverApiRoutes();

        Assert.That(routes, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var route in routes)
            {
                Assert.That(route.AllowsAnonymous, Is.False, $"{route.Key} must not allow anonymous callers");
                Assert.That(route.PolicyGrants, Is.EquivalentTo(ExpectedGrants(route)), $"{route.Key}: scopes granted by its [Authorize] policies ({string.Join(", ", route.Policies)})");
            }
        });
    }

    [Test]
    public async Task EveryApiRoute_WithoutAKey_Answers401()
    {
        var routes = DiscoverApiRoutes();

        var answers = await SendToEveryRouteAsync(Anonymous, routes);

        Assert.That(answers, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var (route, status) in answers)
            {
                Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized), route.Key);
            }
        });
    }

    [Test]
    public async Task EveryApiRoute_WithAnUnknownKey_Answers401()
    {
        var routes = DiscoverApiRoutes();
        using var stranger = Factory.ClientWithKey(LinkTracking.Infrastructure.Security.ApiKeySecrets.Generate());

        var answers = await SendToEveryRouteAsync(stranger, routes);

        Assert.That(answers, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var (route, status) in answers)
            {
                Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized), route.Key);
            }
        });
    }

    [TestCaseSource(nameof(AllScopes))]
    public async Task EveryApiRoute_WithAKeyOfOneScope_Answers403ExactlyWhenTheTableDoesNotGrantIt(string scope)
    {
        var routes = DiscoverApiRoutes();
        using var client = Factory.ClientWithKey(await Factory.CreateApiKeyAsync(scope));

        var answers = await SendToEveryRouteAsync(client, routes);

        Assert.That(answers, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var (route, status) in answers)
            {
                if (Grants(route, scope))
                {
                    Assert.That(status, Is.Not.AnyOf(HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden), $"{route.Key} should let a '{scope}' key through");
                    Assert.That((int)status, Is.LessThan(500), $"{route.Key} with a '{scope}' key");
                }
                else
                {
                    Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden), $"{route.Key} should refuse a '{scope}' key");
                }
            }
        });
    }

    [Test]
    public async Task RedirectAndHealthRoutes_AnswerWithoutAKey()
    {
        var trackingId = await CreateLinkIdAsync();
        var routes = DiscoverEndpoints()
            .Where(e => e.RoutePattern.RawText is { } raw && (raw.TrimStart('/').StartsWith("track", StringComparison.Ordinal) || raw.TrimStart('/').StartsWith("health", StringComparison.Ordinal)))
            .ToList();
        var templates = routes.Select(e => e.RoutePattern.RawText!.TrimStart('/')).Distinct().ToList();

        var answers = new List<(string Url, HttpStatusCode Status)>();
        foreach (var endpoint in routes)
        {
            var url = "/" + Fill(endpoint.RoutePattern, trackingId);
            foreach (var method in Methods(endpoint).DefaultIfEmpty("GET"))
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), url);
                using var response = await Anonymous.SendAsync(request);
                answers.Add(($"{method} {url}", response.StatusCode));
            }
        }

        Assert.That(templates, Is.SupersetOf(AnonymousRoutes));
        Assert.Multiple(() =>
        {
            foreach (var (url, status) in answers)
            {
                Assert.That(status, Is.Not.AnyOf(HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden), url);
            }
        });
        Assert.That(answers.Where(a => a.Url == $"GET /track/{trackingId}").Select(a => a.Status), Is.EqualTo(new[] { HttpStatusCode.Found }));
    }

    private static string Absolute(string key, string prefix)
    {
        var space = key.IndexOf(' ', StringComparison.Ordinal);
        return $"{key[..space]} {prefix}{key[(space + 1)..]}";
    }

    private static IEnumerable<string> ExpectedGrants(ApiRoute route) =>
        ExpectedScopes.TryGetValue(route.RelativeKey, out var scopes) ? scopes.Append(AdminScope) : [AdminScope];

    private static bool Grants(ApiRoute route, string scope) => scope == AdminScope || ExpectedGrants(route).Contains(scope);

    private List<RouteEndpoint> DiscoverEndpoints() =>
        Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

    /// <summary>Every (method, endpoint) under <c>api/</c>, the version placeholder replaced with <c>v1</c>.</summary>
    private List<ApiRoute> DiscoverApiRoutes()
    {
        var routes = new List<ApiRoute>();
        foreach (var endpoint in DiscoverEndpoints())
        {
            var raw = endpoint.RoutePattern.RawText?.TrimStart('/') ?? string.Empty;
            if (!raw.StartsWith("api/", StringComparison.Ordinal))
            {
                continue;
            }

            var template = raw.Replace("v{version:apiVersion}", "v1", StringComparison.Ordinal);
            var methods = Methods(endpoint).ToList();
            Assert.That(methods, Is.Not.Empty, $"{raw} accepts any HTTP method");
            foreach (var method in methods)
            {
                routes.Add(new ApiRoute(method, template, endpoint));
            }
        }

        return routes;
    }

    private static IEnumerable<string> Methods(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];

    /// <summary>Sends one request per route and returns the statuses (bodies are empty JSON objects).</summary>
    private static async Task<List<(ApiRoute Route, HttpStatusCode Status)>> SendToEveryRouteAsync(HttpClient client, IEnumerable<ApiRoute> routes)
    {
        var answers = new List<(ApiRoute, HttpStatusCode)>();
        foreach (var route in routes)
        {
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), "/" + Fill(route.Endpoint.RoutePattern, "lt_abcdefghijkl"));
            if (route.Method is "POST" or "PUT" or "PATCH")
            {
                request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            }

            using var response = await client.SendAsync(request);
            answers.Add((route, response.StatusCode));
        }

        return answers;
    }

    /// <summary>The route with valid-looking values in its parameters: version 1, a tracking id, GUIDs for other ids.</summary>
    private static string Fill(RoutePattern pattern, string trackingId)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in pattern.Parameters)
        {
            values[parameter.Name] = parameter.Name switch
            {
                "version" => "1",
                "trackingId" => trackingId,
                "documentName" => "v1",
                _ when parameter.Name.EndsWith("Id", StringComparison.Ordinal) || parameter.Name == "id" => Guid.NewGuid().ToString(),
                _ => throw new AssertionException($"No sample value for route parameter '{parameter.Name}' of {pattern.RawText}"),
            };
        }

        var segments = pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => Uri.EscapeDataString(values[parameter.Name]),
            RoutePatternSeparatorPart separator => separator.Content,
            _ => throw new AssertionException($"Unexpected route part in {pattern.RawText}"),
        })));
        return string.Join('/', segments);
    }

    /// <summary>One method of one discovered endpoint, with the scopes its <c>[Authorize]</c> policies grant.</summary>
    private sealed record ApiRoute(string Method, string Template, RouteEndpoint Endpoint)
    {
        public string Key => $"{Method} {Template}";

        /// <summary>The key with the API root taken off, as in <see cref="ExpectedScopes"/>; the full key when under neither root.</summary>
        public string RelativeKey =>
            Template.StartsWith(VersionedPrefix, StringComparison.Ordinal) ? $"{Method} {Template[VersionedPrefix.Length..]}"
            : Template.StartsWith(UnversionedPrefix, StringComparison.Ordinal) ? $"{Method} {Template[UnversionedPrefix.Length..]}"
            : Key;

        public bool AllowsAnonymous => Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;

        public IReadOnlyList<string?> Policies =>
            Endpoint.Metadata.GetOrderedMetadata<AuthorizeAttribute>().Select(a => a.Policy).ToList();

        /// <summary>
        /// The scopes that pass every <c>[Authorize]</c> on the endpoint (they all apply). No attribute means the
        /// fallback policy: admin only. An attribute without a policy would let any key through.
        /// </summary>
        public IReadOnlyList<string> PolicyGrants
        {
            get
            {
                IEnumerable<string> granted = AllScopes;
                var attributes = Endpoint.Metadata.GetOrderedMetadata<AuthorizeAttribute>();
                if (attributes.Count == 0)
                {
                    return [AdminScope];
                }

                foreach (var attribute in attributes)
                {
                    if (attribute.Policy is null)
                    {
                        continue;
                    }

                    if (!PolicyScopes.TryGetValue(attribute.Policy, out var scopes))
                    {
                        throw new AssertionException($"{Key} uses policy '{attribute.Policy}', which this test does not know");
                    }

                    granted = granted.Intersect(scopes.Append(AdminScope));
                }

                return granted.ToList();
            }
        }
    }
}
