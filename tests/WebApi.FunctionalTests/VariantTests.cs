using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// A/B variants over HTTP, on both providers: created and changed with the link, validated field by field, a sticky
/// variant per visitor on the redirect (by session cookie, else by network and agent), stored with the click, broken
/// down in the link's analytics and carried by the export.
/// </summary>
public sealed class VariantTests(TestProvider provider) : ApiFixture(provider)
{
    private const string UrlA = "https://example.com/cv-a";
    private const string UrlB = "https://example.com/cv-b";

    private static readonly object[] TwoVariants =
    [
        new { key = "a", url = UrlA, weight = 50 },
        new { key = "b", url = UrlB, weight = 50 },
    ];

    [Test]
    public async Task Create_WithVariants_AnswersThem_AndTheLinkKeepsThem()
    {
        using var created = await PostJsonAsync(Admin, $"{Api}/create", new { original_url = "https://example.com/cv", link_function = "Resume", variants = TwoVariants });
        var body = await ReadJsonAsync(created);
        var fetched = await GetJsonAsync($"{Api}/links/{body.GetProperty("tracking_id").GetString()}");

        Assert.Multiple(() =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), body.ToString());
            Assert.That(Variants(body), Is.EqualTo(new[] { ("a", UrlA, 50), ("b", UrlB, 50) }));
            Assert.That(Variants(fetched), Is.EqualTo(new[] { ("a", UrlA, 50), ("b", UrlB, 50) }));
        });
    }

    [TestCase("one", "variants")]
    [TestCase("six", "variants")]
    [TestCase("duplicate", "variants")]
    [TestCase("upper-case key", "variants[0].key")]
    [TestCase("ftp url", "variants[1].url")]
    [TestCase("user-info url", "variants[1].url")]
    [TestCase("weight 0", "variants[0].weight")]
    [TestCase("weight 101", "variants[1].weight")]
    public async Task Create_WithBadVariants_Answers400_NamingTheField(string mistake, string field)
    {
        object[] variants = mistake switch
        {
            "one" => [new { key = "a", url = UrlA, weight = 50 }],
            "six" => [.. Enumerable.Range(0, 6).Select(i => new { key = "v" + i, url = UrlA, weight = 10 })],
            "duplicate" => [new { key = "a", url = UrlA, weight = 50 }, new { key = "a", url = UrlB, weight = 50 }],
            "upper-case key" => [new { key = "A", url = UrlA, weight = 50 }, new { key = "b", url = UrlB, weight = 50 }],
            "ftp url" => [new { key = "a", url = UrlA, weight = 50 }, new { key = "b", url = "ftp://example.com/cv", weight = 50 }],
            "user-info url" => [new { key = "a", url = UrlA, weight = 50 }, new { key = "b", url = "https://user:pw@example.com/cv", weight = 50 }],
            "weight 0" => [new { key = "a", url = UrlA, weight = 0 }, new { key = "b", url = UrlB, weight = 50 }],
            _ => [new { key = "a", url = UrlA, weight = 50 }, new { key = "b", url = UrlB, weight = 101 }],
        };

        using var response = await PostJsonAsync(Admin, $"{Api}/create", new { original_url = "https://example.com/cv", link_function = "Resume", variants });

        await AssertValidationErrorAsync(response, field);
    }

    [Test]
    public async Task TheSameSessionCookie_AlwaysLandsOnTheSameVariant_AndEachVariantGetsVisitors()
    {
        var trackingId = await CreateWithVariantsAsync();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);

        for (var i = 0; i < 30; i++)
        {
            var session = $"visitor-{i}";
            var locations = new HashSet<string>(StringComparer.Ordinal);
            for (var round = 0; round < 3; round++)
            {
                using var response = await FollowAsync(trackingId, $"198.51.{100 + round}.{i + 1}", session);
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
                locations.Add(response.Headers.Location!.ToString());
            }

            Assert.That(locations, Has.Count.EqualTo(1), $"session {session} changed variant");
            seen[session] = locations.Single();
        }

        Assert.That(seen.Values.Distinct(), Is.EquivalentTo(new[] { UrlA, UrlB }));
    }

    [Test]
    public async Task AVisitorsSecondClick_WithTheCookieItsFirstGot_AndAScannersRefetch_LandOnTheFirstVariant()
    {
        var trackingId = await CreateWithVariantsAsync();

        for (var i = 0; i < 20; i++)
        {
            using var first = await FollowAsync(trackingId, $"203.0.113.{i + 1}", session: null);
            var cookie = first.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("session_id=", StringComparison.Ordinal));
            var session = cookie["session_id=".Length..cookie.IndexOf(';', StringComparison.Ordinal)];
            // The second click comes from another network (mobile data), the re-fetch from the same /24 without a cookie.
            using var second = await FollowAsync(trackingId, $"192.0.2.{i + 1}", session);
            using var refetch = await FollowAsync(trackingId, $"203.0.113.{i + 101}", session: null);

            Assert.That(
                new[] { second.Headers.Location, refetch.Headers.Location },
                Is.All.EqualTo(first.Headers.Location),
                $"visitor {i}");
        }
    }

    [Test]
    public async Task Patch_ChangesWeights_KeepingVisitorsWhereTheyCan_ThenRemovesTheVariants()
    {
        var trackingId = await CreateWithVariantsAsync();
        var before = await LocationsAsync(trackingId);

        using var reweighted = await PatchAsync(trackingId, new { variants = new object[] { new { key = "a", url = UrlA, weight = 50 }, new { key = "b", url = UrlB, weight = 100 } } });
        var after = await LocationsAsync(trackingId);
        using var removed = await PatchAsync(trackingId, new Dictionary<string, object?> { ["variants"] = null });
        var plain = await LocationsAsync(trackingId);
        var history = await GetJsonAsync($"{Api}/links/{trackingId}/history");
        var reweightedLink = await ReadJsonAsync(reweighted);
        var removedLink = await ReadJsonAsync(removed);

        Assert.Multiple(() =>
        {
            Assert.That(reweighted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Variants(reweightedLink), Is.EqualTo(new[] { ("a", UrlA, 50), ("b", UrlB, 100) }));
            Assert.That(before.Zip(after).Where(p => p.First != p.Second).Select(p => (p.First, p.Second)).Distinct(), Is.All.EqualTo((UrlA, UrlB)), "only moves towards the heavier variant");
            Assert.That(removedLink.GetProperty("variants").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(plain, Is.All.EqualTo("https://example.com/cv"));
            Assert.That(history.ToString(), Does.Contain("\"variants\""));
        });
    }

    [Test]
    public async Task Patch_WithABadVariant_Answers400_NamingIt()
    {
        var trackingId = await CreateWithVariantsAsync();

        using var response = await PatchAsync(trackingId, new { variants = new object[] { new { key = "a", url = UrlA, weight = 50 }, new { key = "b!", url = UrlB, weight = 50 } } });

        await AssertValidationErrorAsync(response, "variants[1].key");
    }

    [Test]
    public async Task Analytics_BreakTheClicksDownByVariant_AndTheExportCarriesIt()
    {
        var trackingId = await CreateWithVariantsAsync();
        var plainId = await CreateLinkIdAsync();
        var expected = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < 40; i++)
        {
            using var response = await FollowAsync(trackingId, $"198.51.100.{i + 1}", $"visitor-{i}");
            var key = response.Headers.Location!.ToString() == UrlA ? "a" : "b";
            // Every fourth visitor comes back once: two clicks, one session.
            var clicks = i % 4 == 0 ? 2 : 1;
            if (clicks == 2)
            {
                using var again = await FollowAsync(trackingId, $"198.51.100.{i + 1}", $"visitor-{i}");
            }

            expected[key] = expected.GetValueOrDefault(key) + clicks;
        }

        using var plainClick = await FollowAsync(plainId, "198.51.100.200", "visitor-plain");

        var analytics = await GetJsonAsync($"{Api}/analytics/{trackingId}");
        var plainAnalytics = await GetJsonAsync($"{Api}/analytics/{plainId}");
        var variants = analytics.GetProperty("variants");
        using var export = await Admin.GetAsync($"{Api}/clicks/export?format=ndjson&tracking_id={trackingId}");
        var exported = (await export.Content.ReadAsStringAsync())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("variant").GetString()!)
            .GroupBy(v => v)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        Assert.Multiple(() =>
        {
            Assert.That(Names(variants), Is.EqualTo(new[] { "a", "b" }));
            foreach (var key in new[] { "a", "b" })
            {
                var variant = variants.GetProperty(key);
                Assert.That(variant.GetProperty("clicks").GetInt32(), Is.EqualTo(expected.GetValueOrDefault(key)), key);
                Assert.That(variant.GetProperty("human_clicks").GetInt32(), Is.EqualTo(expected.GetValueOrDefault(key)), key);
                Assert.That(variant.GetProperty("rate").GetDouble(), Is.EqualTo(expected.GetValueOrDefault(key) / 50.0).Within(0.0001), key);
                var interval = variant.GetProperty("rate_ci95").EnumerateArray().Select(e => e.GetDouble()).ToList();
                Assert.That(interval, Has.Count.EqualTo(2), key);
                Assert.That(interval[0], Is.LessThanOrEqualTo(variant.GetProperty("rate").GetDouble()), key);
                Assert.That(interval[1], Is.GreaterThanOrEqualTo(variant.GetProperty("rate").GetDouble()), key);
                Assert.That(variant.GetProperty("expected_rate").GetDouble(), Is.EqualTo(0.5), key);
            }

            Assert.That(
                variants.GetProperty("a").GetProperty("unique_sessions").GetInt32() + variants.GetProperty("b").GetProperty("unique_sessions").GetInt32(),
                Is.EqualTo(40));
            Assert.That(analytics.GetProperty("click_statistics").GetProperty("total_clicks").GetInt32(), Is.EqualTo(50));
            Assert.That(plainAnalytics.TryGetProperty("variants", out _), Is.False, "a plain link has no variants");
            Assert.That(exported, Is.EqualTo(expected));
        });
    }

    private async Task<string> CreateWithVariantsAsync()
    {
        var link = await Factory.CreateLinkAsync(new { original_url = "https://example.com/cv", link_function = "Resume", variants = TwoVariants });
        return link.GetProperty("tracking_id").GetString()!;
    }

    /// <summary>Where 60 visitors (sessions <c>visitor-0</c>…) are sent.</summary>
    private async Task<List<string>> LocationsAsync(string trackingId)
    {
        var locations = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            using var response = await FollowAsync(trackingId, $"198.51.100.{i + 1}", $"visitor-{i}");
            locations.Add(response.Headers.Location!.ToString());
        }

        return locations;
    }

    private async Task<HttpResponseMessage> FollowAsync(string trackingId, string address, string? session)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/track/{trackingId}");
        request.Headers.Add(LinkTrackingApiFactory.RemoteIpHeader, address);
        if (session is not null)
        {
            request.Headers.Add("Cookie", "session_id=" + session);
        }

        return await Anonymous.SendAsync(request);
    }

    private Task<HttpResponseMessage> PatchAsync(string trackingId, object body) =>
        Admin.PatchAsJsonAsync($"{Api}/links/{trackingId}", body, LinkTrackingApiFactory.Json);

    private static List<(string, string, int)> Variants(JsonElement link) =>
        link.GetProperty("variants").EnumerateArray()
            .Select(v => (v.GetProperty("key").GetString()!, v.GetProperty("url").GetString()!, v.GetProperty("weight").GetInt32()))
            .ToList();
}
