using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CsCheck;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// Generated input (CsCheck) against every route that takes a body, a query or browser headers, with the admin key
/// so authorization does not hide what validation does. Whatever arrives: never a 5xx; every rejection is a problem
/// document (the redirect may answer browsers with HTML); a rejected request stores no link and no click; an
/// acknowledged click is in the database. A failure prints the smallest failing request found and the seed.
/// </summary>
public sealed class FuzzTests(TestProvider provider) : ApiFixture(provider)
{
    private const int BodyIterations = 150;
    private const int QueryIterations = 100;
    private const int HeaderIterations = 200;
    private const string UnknownTrackingId = "lt_zzzzzzzzzzzz";

    private static readonly string[] BodyRoutes = ["create", "record-click", "record-clicks", "applications/{id}/links", "api-keys"];
    private static readonly string[] QueryRoutes = ["GET links", "GET analytics/{id}", "GET report", "GET jobs/{id}/summary", "DELETE privacy/clicks"];

    [TestCaseSource(nameof(BodyRoutes))]
    public async Task GeneratedBodies_NeverGet5xx_AndEveryRejectionIsAProblemThatStoresNothing(string route)
    {
        var trackingId = await CreateLinkIdAsync();
        var inactiveId = await CreateLinkIdAsync("https://example.com/inactive");
        await SetActiveAsync(inactiveId, false);
        var gen = BodyRequest(route, new FuzzValues(trackingId, inactiveId));
        var statuses = new List<int>();

        await gen.SampleAsync(
            async r => statuses.Add((int)(await SendAndCheckAsync(r, redirect: false)).Status),
            iter: BodyIterations,
            threads: 1,
            print: r => r.ToString());

        // Both sides were exercised: requests the service took and requests it rejected.
        Assert.That(statuses, Has.Some.InRange(200, 299), "no generated body was accepted");
        Assert.That(statuses, Has.Some.InRange(400, 499), "no generated body was rejected");
    }

    [TestCaseSource(nameof(QueryRoutes))]
    public async Task GeneratedQueryStrings_NeverGet5xx_AndEveryRejectionIsAProblemThatStoresNothing(string route)
    {
        var jobId = Guid.NewGuid();
        var trackingId = await CreateLinkIdAsync(jobId: jobId, applicationId: Guid.NewGuid());
        await SeedClicksAsync(Click(trackingId, TimeSpan.FromHours(1), "s1", "203.0.113.7"), Click(trackingId, TimeSpan.FromDays(2), "s2", "2001:db8::1"));
        var gen = QueryRequest(route, trackingId, jobId);

        await gen.SampleAsync(r => SendAndCheckAsync(r, redirect: false), iter: QueryIterations, threads: 1, print: r => r.ToString());

        Assert.That((await CountRowsAsync()).Links, Is.EqualTo(1), "no query route may create links");
    }

    [Test]
    public async Task GeneratedBrowserHeaders_OnTheRedirect_RedirectARealLinkAndRecordItsClick_AndNeverGet5xx()
    {
        var trackingId = await CreateLinkIdAsync("https://example.com/landing?from=fuzz");
        var gen = HeaderRequest(trackingId);
        var redirects = 0;

        await gen.SampleAsync(
            async r =>
            {
                var (status, before, after) = await SendAndCheckAsync(r, redirect: true);
                if (r.Url.EndsWith(trackingId, StringComparison.Ordinal))
                {
                    Require(status == HttpStatusCode.Found, $"a real, active link answered {(int)status} instead of 302");
                    Require(after.Clicks == before.Clicks + 1, $"a 302 must mean the click is stored: clicks went from {before.Clicks} to {after.Clicks}");
                    Interlocked.Increment(ref redirects);
                }
                else
                {
                    var expected = r.Url.EndsWith(UnknownTrackingId, StringComparison.Ordinal) ? HttpStatusCode.NotFound : HttpStatusCode.BadRequest;
                    Require(status == expected, $"expected {(int)expected}, got {(int)status}");
                }
            },
            iter: HeaderIterations,
            threads: 1,
            print: r => r.ToString());

        Assert.That(redirects, Is.GreaterThan(0));
    }

    [Test]
    public async Task GeneratedRoutesMethodsAndAcceptHeaders_WithoutAValidKey_AreAlwaysAnsweredWithABody_NeverA5xx()
    {
        var trackingId = await CreateLinkIdAsync();
        var gen = AnonymousRequest(trackingId);
        var statuses = new List<int>();

        await gen.SampleAsync(
            async r => statuses.Add((int)(await SendAndCheckAsync(r, redirect: true, Anonymous)).Status),
            iter: QueryIterations,
            threads: 1,
            print: r => r.ToString());

        Assert.That(statuses, Has.Member(401).And.Member(404).And.Member(302), "the generator reached protected routes, unknown routes and a redirect");
    }

    // ------------------------------------------------------------------ what the generators found, pinned down

    [TestCase("POST", "create", """{"original_url":"https://example.com/","link_function":"Portfolio","description":"a\u0000b"}""", "description")]
    [TestCase("POST", "api-keys", """{"name":"a\u0000b","scopes":["admin"]}""", "name")]
    [TestCase("POST", "record-click", """{"tracking_id":"{id}","session_id":"a\u0000b"}""", "session_id")]
    [TestCase("POST", "record-click", """{"tracking_id":"{id}","metadata":{"k":"a\u0000b"}}""", "metadata")]
    [TestCase("POST", "record-click", """{"tracking_id":"{id}","metadata":{"k\ud800":1}}""", "metadata")]
    [TestCase("DELETE", "privacy/clicks?session_id=a%00b", null, "session_id")]
    [TestCase("POST", "record-click", """{"tracking_id":"{id}","clicked_at":"1969-12-31T23:59:59Z"}""", "clicked_at")]
    public async Task InputTheDatabaseOrTheIdSchemeCannotTake_IsA400NamingTheField_AndStoresNothing(string method, string route, string? body, string field)
    {
        var trackingId = await CreateLinkIdAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), $"{Api}/{route}");
        if (body is not null)
        {
            request.Content = new StringContent(body.Replace("{id}", trackingId, StringComparison.Ordinal), Encoding.UTF8, "application/json");
        }

        using var response = await Admin.SendAsync(request);

        await AssertValidationErrorAsync(response, field);
        Assert.That(await CountRowsAsync(), Is.EqualTo((Links: 1, Clicks: 0)));
    }

    [Test]
    public async Task FormBody_WithAJQueryStyleKey_IsA415Problem()
    {
        using var body = new StringContent("a[=1&b=2", Encoding.UTF8, "application/x-www-form-urlencoded");

        using var response = await Admin.PostAsync($"{Api}/create", body);

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Test]
    public async Task Redirect_WithAUserAgentLongerThanItsLimit_CutsItBeforeAnEmojiNotInsideIt_AndStoresTheClickAtOnce()
    {
        var trackingId = await CreateLinkIdAsync();
        var value = "Mozilla/5.0 " + new string('a', 987) + "\U0001F600 and more"; // the emoji spans characters 999 and 1000
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/track/{trackingId}");
        request.Headers.TryAddWithoutValidation("User-Agent", value);

        using var response = await Anonymous.SendAsync(request);

        await Factory.FlushClicksAsync();

        await using var db = Factory.Database.CreateContext();
        var stored = await db.Clicks.Select(c => c.UserAgent).ToListAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(stored, Is.EqualTo(new[] { value[..999] }), "one click, stored before the 302, with the header cut where no half emoji (U+FFFD once stored) is left");
    }

    // ------------------------------------------------------------------ sending and checking

    /// <summary>
    /// Sends one request with the admin key and checks what every request must satisfy. Throws (for CsCheck to
    /// shrink) rather than asserting, so one failing input is reported once, at its smallest. On the redirect
    /// (<paramref name="redirect"/>) a 302 is the success and browsers may get their errors as HTML.
    /// </summary>
    private async Task<(HttpStatusCode Status, (int Links, int Clicks) Before, (int Links, int Clicks) After)> SendAndCheckAsync(FuzzRequest fuzz, bool redirect, HttpClient? client = null)
    {
        using var request = fuzz.ToHttpRequest();
        var before = await CountRowsAsync();
        using var response = await (client ?? Admin).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var after = await CountRowsAsync();
        var status = (int)response.StatusCode;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var answer = $"answered {status} {mediaType}: {Cut(text, 600)}";

        Require(status < 500, $"a server error: {answer}");
        if (status is >= 200 and < 300)
        {
            await CheckAcknowledgedClicksAreStoredAsync(fuzz, text, answer);
        }
        else if (!(redirect && status == 302))
        {
            Require(after == before, $"a rejected request changed the stored rows from {before} to {after}; {answer}");
            if (!(redirect && mediaType == "text/html"))
            {
                CheckProblemDocument(status, mediaType, text, answer);
            }
        }

        return (response.StatusCode, before, after);
    }

    private static void CheckProblemDocument(int status, string? mediaType, string text, string answer)
    {
        Require(mediaType == "application/problem+json", $"a rejection that is not a problem document; {answer}");
        JsonElement problem;
        try
        {
            problem = JsonDocument.Parse(text).RootElement;
        }
        catch (JsonException)
        {
            throw new FuzzFailure($"a problem document that is not JSON; {answer}");
        }

        Require(problem.ValueKind == JsonValueKind.Object, $"a problem document that is not an object; {answer}");
        Require(problem.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number && s.GetInt32() == status, $"the problem's status is not {status}; {answer}");
        Require(problem.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String, $"the problem has no title; {answer}");
        Require(problem.TryGetProperty("type", out var ty) && ty.ValueKind == JsonValueKind.String, $"the problem has no type; {answer}");
        Require(problem.TryGetProperty("traceId", out var id) && id.ValueKind == JsonValueKind.String, $"the problem has no traceId; {answer}");
        Require(!problem.TryGetProperty("trace_id", out _), $"the problem carries its trace id twice; {answer}");
        Require(!text.Contains("   at ", StringComparison.Ordinal), $"a problem with a stack trace; {answer}");
    }

    /// <summary>A click acknowledged with 201 (alone or in a batch) must be in the database right after the answer.</summary>
    private async Task CheckAcknowledgedClicksAreStoredAsync(FuzzRequest fuzz, string text, string answer)
    {
        var acknowledged = new List<Guid>();
        if (fuzz.Url.EndsWith("/record-click", StringComparison.Ordinal))
        {
            acknowledged.Add(JsonDocument.Parse(text).RootElement.GetProperty("click_id").GetGuid());
        }
        else if (fuzz.Url.EndsWith("/record-clicks", StringComparison.Ordinal))
        {
            acknowledged.AddRange(JsonDocument.Parse(text).RootElement.GetProperty("results").EnumerateArray()
                .Where(r => r.GetProperty("status").GetInt32() == 201)
                .Select(r => r.GetProperty("click_id").GetGuid()));
        }

        if (acknowledged.Count == 0)
        {
            return;
        }

        await Factory.FlushClicksAsync();

        await using var db = Factory.Database.CreateContext();
        var stored = await db.Clicks.CountAsync(c => acknowledged.Contains(c.Id));
        Require(stored == acknowledged.Distinct().Count(), $"{acknowledged.Distinct().Count()} clicks acknowledged, {stored} of them stored; {answer}");
    }

    private async Task<(int Links, int Clicks)> CountRowsAsync()
    {
        await Factory.FlushClicksAsync();
        await using var db = Factory.Database.CreateContext();
        return (await db.Links.CountAsync(), await db.Clicks.CountAsync());
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new FuzzFailure(message);
        }
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max] + $"… ({text.Length} chars)";

    // ------------------------------------------------------------------ requests

    private static Gen<FuzzRequest> BodyRequest(string route, FuzzValues values)
    {
        var (path, fields) = route switch
        {
            "create" => (Gen.Const($"{Api}/create"), CreateFields(values)),
            "record-click" => (Gen.Const($"{Api}/record-click"), ClickFields(values)),
            "record-clicks" => (Gen.Const($"{Api}/record-clicks"), [new Field("clicks", Required: true, ClickBatch(values), NotABatch)]),
            "applications/{id}/links" => (
                Gen.Frequency((9, Gen.Guid.Select(g => g.ToString())), (1, PathSegment))
                    .Select(id => $"{Api}/applications/{id}/links"),
                PackageFields(values)),
            "api-keys" => (Gen.Const($"{Api}/api-keys"), KeyFields()),
            _ => throw new ArgumentOutOfRangeException(nameof(route), route, "no generator for this route"),
        };

        var json = JsonObjectOf(fields).Select(Encoding.UTF8.GetBytes);
        var body = Gen.Frequency(
            (20, json),
            (2, JsonValue(3).Select(Encoding.UTF8.GetBytes)),
            (2, JsonObjectOf(fields).SelectMany(text => Gen.Int[0, Math.Max(0, text.Length - 1)].Select(cut => Encoding.UTF8.GetBytes(text[..cut])))),
            (2, Gen.Byte.Array[0, 300]),
            (1, Gen.Int[RequestLimitsMaxBody + 1, RequestLimitsMaxBody + 4096].Select(n => Encoding.UTF8.GetBytes($$"""{"description":"{{new string('a', n)}}"}"""))));
        var contentType = Gen.Frequency(
            (20, Gen.Const<string?>("application/json")),
            (1, Gen.OneOf<string?>("application/json; charset=utf-8", "application/json; charset=latin1", "text/plain", "application/x-www-form-urlencoded", "application/*+json", null)));
        return Gen.Select(path, body, contentType, AcceptHeaders, (p, b, c, a) => new FuzzRequest("POST", p, a, b, c));
    }

    private static Gen<FuzzRequest> QueryRequest(string route, string trackingId, Guid jobId)
    {
        var (method, path, names) = route switch
        {
            "GET links" => ("GET", Gen.Const($"{Api}/links"), new[] { "job_id", "application_id", "link_function", "is_active", "page", "page_size" }),
            "GET analytics/{id}" => (
                "GET",
                Gen.Frequency((4, Gen.Const(trackingId)), (1, Gen.Const(UnknownTrackingId)), (1, PathSegment))
                    .Select(id => $"{Api}/analytics/{id}"),
                new[] { "days", "include_bots" }),
            "GET report" => ("GET", Gen.Const($"{Api}/report"), new[] { "days", "include_bots" }),
            "GET jobs/{id}/summary" => (
                "GET",
                Gen.Frequency((3, Gen.Const(jobId.ToString())), (2, Gen.Guid.Select(g => g.ToString())), (1, PathSegment))
                    .Select(id => $"{Api}/jobs/{id}/summary"),
                new[] { "include_bots" }),
            "DELETE privacy/clicks" => ("DELETE", Gen.Const($"{Api}/privacy/clicks"), new[] { "ip_address", "session_id", "application_id", "job_id" }),
            _ => throw new ArgumentOutOfRangeException(nameof(route), route, "no generator for this route"),
        };

        var name = Gen.Frequency((6, Gen.OneOf(names)), (1, Gen.Const("api-version")), (1, Text.Where(s => s.Length > 0)));
        var value = Gen.Frequency(
            (3, QueryValue(trackingId, jobId).Select(Uri.EscapeDataString)),
            (3, Text.Select(Uri.EscapeDataString)),
            (1, Gen.OneOf("%", "%zz", "%00", "%C0%AF", "%E2%80%AE", "%ED%A0%80", "%FF%FE", "a%20b+c", "%2e%2e%2f")));
        var query = Gen.Select(name.Select(Uri.EscapeDataString), value, (n, v) => n + "=" + v).Array[0, 6]
            .Select(pairs => pairs.Length == 0 ? string.Empty : "?" + string.Join('&', pairs));
        return Gen.Select(path, query, AcceptHeaders, (p, q, a) => new FuzzRequest(method, p + q, a, null, null));
    }

    private static Gen<FuzzRequest> HeaderRequest(string trackingId)
    {
        var id = Gen.Frequency((6, Gen.Const(trackingId)), (1, Gen.Const(UnknownTrackingId)), (1, Gen.OneOf("lt_short", "lt_ABCDEFGHIJKL", "LT_abcdefghijkl", "lt_abc%2Fdefghij")));
        var header = HeaderText;
        var headers = new[]
        {
            Optional("User-Agent", Gen.Frequency((3, header), (1, Gen.OneOf("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36", "curl/8.5.0", "Googlebot/2.1", "")))),
            Optional("Referer", Gen.Frequency((3, header), (2, Gen.OneOf("https://www.linkedin.com/feed/", "https://mail.google.com/mail/u/0/", "android-app://com.linkedin.android/", "//evil.example/", "https://xn--nxasmq6b.example/ü")))),
            Optional("Cookie", Gen.Frequency(
                (3, header.Select(v => "session_id=" + v)),
                (1, header.Select(v => "a=b; session_id=" + v + "; session_id=second")),
                (1, header))),
            Optional("Accept", Gen.Frequency((2, header), (3, AcceptValue))),
            Optional("DNT", Gen.Frequency((2, Gen.OneOf("1", "0", "")), (1, header))),
            Optional("X-Forwarded-For", Gen.Frequency(
                (2, header),
                (3, Gen.OneOf("203.0.113.9", "2001:db8::7", "203.0.113.9, 198.51.100.1", "999.1.1.1", "unknown", "[::1]:443", "010.0.0.1", string.Join(", ", Enumerable.Repeat("203.0.113.1", 200)))))),
        };
        var all = headers.Aggregate(Gen.Const<(string, string)[]>(Array.Empty<(string, string)>()), (acc, h) => Gen.Select(acc, h, (list, one) => one is { } x ? [.. list, x] : list));
        return Gen.Select(id, all, (i, h) => new FuzzRequest("GET", $"/track/{i}", h, null, null));
    }

    /// <summary>Any route, known or not, with any method but HEAD (whose answers have no body), with or without a wrong key.</summary>
    private static Gen<FuzzRequest> AnonymousRequest(string trackingId)
    {
        var path = Gen.Frequency(
            (6, Gen.OneOf(
                "/", "/robots.txt", "/favicon.ico", "/nope", "/index.html", "/api", $"{Api}/links", $"{Api}/create", $"{Api}/report",
                "/api/v2/link-tracking/links", $"{Api}/analytics/{trackingId}", $"/track/{trackingId}", $"/track/{UnknownTrackingId}",
                "/track/lt_short", "/track/", "/health/live", "/openapi/v1.json")),
            // The real link often enough that every run reaches a redirect (1 in 17 of the list above missed it in
            // about one run of twenty).
            (3, Gen.Const($"/track/{trackingId}")),
            (2, PathSegment.Select(p => "/" + p)),
            (1, PathSegment.Select(p => $"{Api}/" + p)));
        var method = Gen.Frequency((6, Gen.Const("GET")), (2, Gen.OneOf("POST", "DELETE", "PUT", "PATCH", "OPTIONS")));
        var key = Gen.Frequency(
            (3, Gen.Const(Array.Empty<(string, string)>())),
            (1, Gen.OneOf("ltk_wrong", "", "ltk_" + new string('a', 40)).Select(k => new[] { ("X-API-Key", k) })));
        return Gen.Select(method, path, AcceptHeaders, key, (m, p, a, k) => new FuzzRequest(m, p, [.. a, .. k], null, null));
    }

    private static Gen<(string, string)?> Optional(string name, Gen<string> value) =>
        Gen.Frequency((1, Gen.Const<(string, string)?>(default((string, string)?))), (2, value.Select(v => ((string, string)?)(name, v))));

    // ------------------------------------------------------------------ bodies

    private const int RequestLimitsMaxBody = LinkTracking.WebApi.Infrastructure.RequestLimits.MaxBodyBytes;

    private static Field[] CreateFields(FuzzValues values) =>
    [
        new("original_url", Required: true, ValidUrl, Url),
        new("link_function", Required: true, Gen.OneOf("Portfolio", "LinkedIn", "Company_Website", "GitHub", "x-y_z").Select(Quote), Gen.OneOf("", "Bad Function!", new string('F', 51)).Select(Quote)),
        new("link_type", Required: false, Gen.OneOf("profile", "external", "job_posting", "document").Select(Quote), Gen.OneOf("EXTERNAL", "bogus", "").Select(Quote)),
        new("job_id", Required: false, ValidGuid, GuidLiteral),
        new("application_id", Required: false, ValidGuid, GuidLiteral),
        new("description", Required: false, Word, TextLiteral),
        new("created_by", Required: false, Word, TextLiteral),
    ];

    private static Field[] ClickFields(FuzzValues values) =>
    [
        new("tracking_id", Required: true, Gen.Const(Quote(values.TrackingId)), Gen.OneOf(values.InactiveId, UnknownTrackingId, "lt_ABC", "").Select(Quote)),
        new(
            "clicked_at",
            Required: false,
            Gen.Int[0, 100_000].Select(minutes => Quote((Now - TimeSpan.FromMinutes(minutes)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))),
            Gen.OneOf("2999-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "2025-07-27T15:00:00+14:00", "2025-02-30T00:00:00Z", "yesterday", "1753628400").Select(Quote)),
        new("ip_address", Required: false, Gen.OneOf("203.0.113.7", "2001:db8::1", "::ffff:1.2.3.4").Select(Quote), Gen.OneOf("::1", "010.0.0.1", "999.1.1.1", "1", "fe80::1%eth0").Select(Quote)),
        new("user_agent", Required: false, Word, TextLiteral),
        new("referrer_url", Required: false, ValidUrl, Gen.Frequency((1, Url), (1, TextLiteral))),
        new("session_id", Required: false, Word, TextLiteral),
        new("click_source", Required: false, Word, TextLiteral),
        new("metadata", Required: false, Gen.Select(Gen.Char['a', 'z'].Array[1, 8], Word, (k, v) => $$"""{"{{new string(k)}}":{{v}}}"""), Gen.Frequency((3, JsonObject(2)), (1, JsonValue(1)), (1, Gen.Const($$"""{"k":"{{new string('m', 9000)}}"}""")))),
        new("event_id", Required: false, Word, TextLiteral),
    ];

    private static Gen<string> ClickBatch(FuzzValues values) =>
        JsonObjectOf(ClickFields(values)).Array[1, 5].Select(items => "[" + string.Join(',', items) + "]");

    private static Gen<string> NotABatch => Gen.Frequency(
        (2, JsonValue(2).Array[0, 4].Select(items => "[" + string.Join(',', items) + "]")),
        (1, Gen.Const("[" + string.Join(',', Enumerable.Repeat("{}", 1001)) + "]")),
        (1, JsonValue(1)));

    private static Field[] PackageFields(FuzzValues values)
    {
        Field[] jobData = [new("company_website", false, ValidUrl, Url), new("apply_url", false, ValidUrl, Url), new("job_url", false, ValidUrl, Url)];
        Field[] extraLink =
        [
            new("link_function", Required: true, Gen.OneOf("Portfolio", "GitHub", "Resume").Select(Quote), Gen.OneOf("", "no spaces allowed").Select(Quote)),
            new("original_url", Required: true, ValidUrl, Url),
            new("link_type", Required: false, Gen.OneOf("profile", "document").Select(Quote), Gen.OneOf("bogus", "").Select(Quote)),
        ];
        return
        [
            new("job_id", Required: false, ValidGuid, GuidLiteral),
            new("job_data", Required: false, JsonObjectOf(jobData), JsonValue(2)),
            new("extra_links", Required: false, JsonObjectOf(extraLink).Array[0, 3].Select(items => "[" + string.Join(',', items) + "]"), JsonValue(2)),
        ];
    }

    private static Field[] KeyFields() =>
    [
        new("name", Required: true, Word, TextLiteral),
        new(
            "scopes",
            Required: true,
            Gen.OneOf("links:write", "clicks:write", "analytics:read", "admin").Select(Quote).Array[1, 3].Select(items => "[" + string.Join(',', items) + "]"),
            Gen.OneOf("links:write", "admin", "root", "", "ADMIN").Select(Quote).Array[0, 4].Select(items => "[" + string.Join(',', items) + "]")),
    ];

    /// <summary>
    /// A JSON object of these fields: all valid (optional ones sometimes left out); valid but for one field; or each
    /// field left out, wrong, or any JSON at all. Now and then with a field nobody asked for.
    /// </summary>
    private static Gen<string> JsonObjectOf(Field[] fields)
    {
        var extras = Gen.Frequency((3, Gen.Const(Array.Empty<string>())), (1, Gen.Select(Key, JsonValue(1), (k, v) => Quote(k) + ":" + v).Array[1, 2]));
        var valid = Members(fields, (_, f) => f.Required ? f.Valid.Select(v => (string?)v) : Gen.Frequency((1, Omitted), (2, f.Valid.Select(v => (string?)v))));
        var oneWrong = Gen.Int[0, fields.Length - 1].SelectMany(wrong => Members(fields, (i, f) => i == wrong
            ? Gen.Frequency((2, Omitted), (3, f.Wrong.Select(v => (string?)v)), (2, JsonValue(2).Select(v => (string?)v)))
            : f.Valid.Select(v => (string?)v)));
        var chaotic = Members(fields, (_, f) => Gen.Frequency((2, Omitted), (2, f.Valid.Select(v => (string?)v)), (2, f.Wrong.Select(v => (string?)v)), (2, JsonValue(2).Select(v => (string?)v))));
        return Gen.Select(Gen.Frequency((3, valid), (4, oneWrong), (3, chaotic)), extras, (m, e) => "{" + string.Join(',', m.Concat(e)) + "}");
    }

    private static readonly Gen<string?> Omitted = Gen.Const<string?>((string?)null);

    /// <summary>The members <c>"name":value</c> of the fields whose generator gives a value (null leaves the field out).</summary>
    private static Gen<string[]> Members(Field[] fields, Func<int, Field, Gen<string?>> value) =>
        fields.Select((field, i) => (field, i)).Aggregate(
            Gen.Const<string[]>(Array.Empty<string>()),
            (acc, f) => Gen.Select(acc, value(f.i, f.field), (list, v) => v is null ? list : [.. list, Quote(f.field.Name) + ":" + v]));

    private static Gen<string> JsonObject(int depth) =>
        Gen.Select(Key, JsonValue(depth - 1), (k, v) => Quote(k) + ":" + v).Array[0, 4].Select(m => "{" + string.Join(',', m) + "}");

    /// <summary>Any JSON value: strings of every kind, numbers, booleans, null, arrays and objects nested to <paramref name="depth"/>.</summary>
    private static Gen<string> JsonValue(int depth) => depth <= 0
        ? Leaf
        : Gen.Frequency((6, Leaf), (1, JsonValue(depth - 1).Array[0, 4].Select(items => "[" + string.Join(',', items) + "]")), (1, JsonObject(depth)));

    private static readonly Gen<string> Number = Gen.Frequency(
        (2, Gen.Long.Select(n => n.ToString(CultureInfo.InvariantCulture))),
        (2, Gen.Int[-5, 400].Select(n => n.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.Double.Where(double.IsFinite).Select(d => d.ToString("R", CultureInfo.InvariantCulture))),
        (1, Gen.OneOf("1e999", "-0", "0.0000001", "123456789012345678901234567890", "2147483648", "-2147483649", "1E+2")));

    private static readonly Gen<string> Text = Gen.Frequency(
        (4, Gen.Char['a', 'z'].Array[0, 16].Select(c => new string(c))),
        (2, Gen.Char.Array[0, 16].Select(c => new string(c))),
        (2, Gen.Char['\0', '\u001f'].Array[1, 8].Select(c => "x" + new string(c) + "y")),
        (3, Gen.OneOf(
            "", " ", "\r\n", "a\r\nSet-Cookie: injected=1", "\0", "nul\0inside", "null", "true", "<script>alert(1)</script>",
            "' OR 1=1 --", "../../etc/passwd", "%00", "日本語テキスト", "😀🎉", "\u202Egnp.exe", "\uFEFFbom", "\uD800", "\uDC00x",
            "İı", "${jndi:ldap://example.invalid/a}", "{{7*7}}", new string('a', 999) + "😀", new string('é', 1000))),
        (1, Gen.Int[990, 1010].Select(n => new string('a', n))),
        (1, Gen.Int[1_000, 20_000].Select(n => new string('L', n))));

    /// <summary>
    /// What a client can put in a header: no NUL, CR or LF (Kestrel refuses those before the app sees them), and
    /// no lone surrogate (the wire carries UTF-8, which has none; a decoder makes them U+FFFD).
    /// </summary>
    private static readonly Gen<string> HeaderText = Text.Select(s => WellFormed(s.Replace('\0', ' ').Replace('\r', ' ').Replace('\n', ' ')));

    /// <summary>What browsers, scrapers and odd clients send as <c>Accept</c>: every answer must be written whatever it says.</summary>
    private static readonly Gen<string> AcceptValue = Gen.OneOf(
        "text/html", "text/plain", "*/*", "application/json", "application/problem+json", "application/xml", "image/png", "text/*",
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8", "application/json, text/html",
        "application/json;q=0.1, text/html;q=0.9", "application/json;q=abc", "application/json;q=0", ";;,,", "*", "/", "x/y/z", "");

    /// <summary>No <c>Accept</c> at all, one of <see cref="AcceptValue"/>, or any header text.</summary>
    private static readonly Gen<(string Name, string Value)[]> AcceptHeaders = Gen.Frequency(
        (3, Gen.Const(Array.Empty<(string, string)>())),
        (3, AcceptValue.Select(v => new[] { ("Accept", v) })),
        (1, HeaderText.Select(v => new[] { ("Accept", v) })));

    /// <summary>What can be sent in a path segment: Kestrel refuses a path with an encoded NUL (and the test client cannot send one).</summary>
    private static readonly Gen<string> PathSegment = Text.Where(s => s.Length > 0 && !s.Contains('\0', StringComparison.Ordinal)).Select(s => Uri.EscapeDataString(WellFormed(s)));

    private static readonly Gen<string> TextLiteral = Text.Select(Quote);

    private static readonly Gen<string> Leaf = Gen.Frequency((4, TextLiteral), (2, Number), (1, Gen.OneOf("true", "false", "null")));

    private static readonly Gen<string> Key = Gen.Frequency(
        (2, Gen.OneOf("original_url", "tracking_id", "metadata", "clicks", "scopes", "link_function", "$type", "__proto__", "ORIGINAL_URL", "originalUrl")),
        (1, Text));

    private static readonly Gen<string> Word = Gen.Char['a', 'z'].Array[1, 12].Select(c => Quote(new string(c)));

    private static readonly Gen<string> ValidGuid = Gen.Guid.Select(g => Quote(g.ToString()));

    private static readonly Gen<string> ValidUrl = Gen.Select(Gen.OneOf("https://example.com", "http://example.org", "https://sub.example.net"), Gen.Char['a', 'z'].Array[0, 12], (b, p) => Quote($"{b}/{new string(p)}"));

    private static readonly Gen<string> GuidLiteral = Gen.Frequency(
        (3, Gen.Guid.Select(g => Quote(g.ToString()))),
        (1, Gen.OneOf("00000000-0000-0000-0000-000000000000", "not-a-guid", "{6F9619FF-8B86-D011-B42D-00CF4FC964FF}", "6F9619FF8B86D011B42D00CF4FC964FF").Select(Quote)));

    private static readonly Gen<string> Url = Gen.Frequency(
        (3, ValidUrl),
        (1, Gen.OneOf(
            "javascript:alert(1)", "https://user:pw@example.com/", "https://127.0.0.1/", "http://[::1]/", "ftp://example.com/", "//example.com",
            "https://exa mple.com/", "https://example.com/\u0000", "https://xn--nxasmq6b.com/", "https://例え.jp/パス", "data:text/html,<b>x</b>",
            "https://example.com/" + new string('p', 1000)).Select(Quote)),
        (1, TextLiteral));

    private static Gen<string> QueryValue(string trackingId, Guid jobId) => Gen.OneOf(
        "1", "0", "-1", "30", "365", "366", "200", "201", "2147483648", "1e3", "NaN", "true", "false", "TRUE", "yes", "", " ",
        trackingId, jobId.ToString(), Guid.Empty.ToString(), "not-a-guid", "203.0.113.7", "2001:db8::1", "s1", "9.0", "1.0", "Portfolio");

    /// <summary>The text with every unpaired UTF-16 surrogate replaced by U+FFFD, as a UTF-8 round trip would.</summary>
    private static string WellFormed(string value) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(value));

    /// <summary>A JSON string literal. Control characters and every UTF-16 surrogate are escaped, so lone surrogates arrive as <c>\uD800</c>.</summary>
    private static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append(@"\\");
                    break;
                case < ' ' or (>= '\uD800' and <= '\uDFFF'):
                    builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>A body field: what the service takes, and what it should refuse (or may take) instead.</summary>
    private sealed record Field(string Name, bool Required, Gen<string> Valid, Gen<string> Wrong);

    /// <summary>Real ids the generators mix in, so that valid requests reach the handlers and the database.</summary>
    private sealed record FuzzValues(string TrackingId, string InactiveId);

    /// <summary>One generated request; <see cref="ToString"/> is what a failure prints.</summary>
    private sealed record FuzzRequest(string Method, string Url, (string Name, string Value)[] Headers, byte[]? Body, string? ContentType)
    {
        public HttpRequestMessage ToHttpRequest()
        {
            var request = new HttpRequestMessage(new HttpMethod(Method), Url);
            foreach (var (name, value) in Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            if (Body is not null)
            {
                request.Content = new ByteArrayContent(Body);
                if (ContentType is not null)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
                }
            }

            return request;
        }

        public override string ToString()
        {
            var builder = new StringBuilder().Append(Method).Append(' ').Append(Cut(Url, 300));
            foreach (var (name, value) in Headers)
            {
                builder.Append("\n  ").Append(name).Append(": ").Append(JsonSerializer.Serialize(Cut(value, 300)));
            }

            if (Body is not null)
            {
                builder.Append("\n  Content-Type: ").Append(ContentType ?? "(none)").Append("\n  ").Append(Cut(Encoding.UTF8.GetString(Body), 1500));
            }

            return builder.ToString();
        }
    }

    /// <summary>A property of the service that one generated request broke.</summary>
    private sealed class FuzzFailure : Exception
    {
        public FuzzFailure(string message)
            : base(message)
        {
        }

        public FuzzFailure()
        {
        }

        public FuzzFailure(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}
