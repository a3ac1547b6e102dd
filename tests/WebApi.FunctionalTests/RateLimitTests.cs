using System.Net;
using System.Net.Http.Json;
using System.Threading.RateLimiting;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;
using LinkTracking.WebApi.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RedisRateLimiting;
using StackExchange.Redis;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// Small limits (3 click requests per IP, 2 analytics requests per key, per minute) on one instance. The limiter
/// keeps its windows for the whole fixture, so every test takes client IPs and keys of its own.
/// </summary>
public sealed class RateLimitTests(TestProvider provider) : ApiFixture(provider)
{
    private const int ClicksLimit = 3;
    private const int AnalyticsLimit = 2;

    private static readonly string[] ClickRoutes =
    [
        "GET /track/{id}",
        "HEAD /track/{id}",
        "POST /api/v1/link-tracking/record-click",
        "POST /api/link-tracking/record-click",
        "POST /api/v1/link-tracking/record-clicks",
        "POST /api/link-tracking/record-clicks",
    ];

    private static readonly string[] AnalyticsRoutes =
    [
        "GET /api/v1/link-tracking/analytics/{id}",
        "GET /api/link-tracking/analytics/{id}",
        "GET /api/v1/link-tracking/jobs/{guid}/summary",
        "GET /api/v1/link-tracking/applications/{guid}/summary",
        "GET /api/v1/link-tracking/report",
        "GET /api/link-tracking/report",
        "GET /api/v1/link-tracking/links",
        "GET /api/link-tracking/links",
    ];

    private static int _lastHost;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:ClicksPerMinutePerIp"] = ClicksLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimits:AnalyticsPerMinutePerKey"] = AnalyticsLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [TestCaseSource(nameof(ClickRoutes))]
    public async Task ClickRoute_OverThePerIpLimit_Returns429WithRetryAfterAndAProblem(string route)
    {
        var trackingId = await CreateLinkIdAsync();
        using var partner = Factory.ClientWithKey(await Factory.CreateApiKeyAsync("clicks:write"));
        var ip = NewIp();
        var allowed = await SendManyAsync(partner, route, trackingId, ip, ClicksLimit);

        using var rejected = await SendAsync(partner, route, trackingId, ip);

        Assert.That(allowed, Is.All.AnyOf(HttpStatusCode.Found, HttpStatusCode.Created, HttpStatusCode.OK));
        Assert.That(rejected.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(rejected.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(60)), "the window opened with the first request and the clock stands still");
        if (!route.StartsWith("HEAD", StringComparison.Ordinal))
        {
            var problem = await AssertProblemAsync(rejected, HttpStatusCode.TooManyRequests);
            Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo("Too many requests"));
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("client IP address").And.Contain("3"));
        }
    }

    [Test]
    public async Task RedirectsAndRecordedClicks_ShareOneBudgetPerClientIp()
    {
        var trackingId = await CreateLinkIdAsync();
        using var partner = Factory.ClientWithKey(await Factory.CreateApiKeyAsync("clicks:write"));
        var ip = NewIp();
        using var get = await SendAsync(partner, "GET /track/{id}", trackingId, ip);
        using var head = await SendAsync(partner, "HEAD /track/{id}", trackingId, ip);
        using var recorded = await SendAsync(partner, "POST /api/v1/link-tracking/record-click", trackingId, ip);

        using var rejected = await SendAsync(partner, "POST /api/link-tracking/record-clicks", trackingId, ip);

        Assert.That(new[] { get.StatusCode, head.StatusCode, recorded.StatusCode }, Is.EqualTo(new[] { HttpStatusCode.Found, HttpStatusCode.Found, HttpStatusCode.Created }));
        await AssertProblemAsync(rejected, HttpStatusCode.TooManyRequests);
    }

    [Test]
    public async Task ClickLimit_OfOneClientIp_DoesNotAffectAnother()
    {
        var trackingId = await CreateLinkIdAsync();
        var busy = NewIp();
        await SendManyAsync(Anonymous, "GET /track/{id}", trackingId, busy, ClicksLimit);
        using var limited = await SendAsync(Anonymous, "GET /track/{id}", trackingId, busy);

        using var other = await SendAsync(Anonymous, "GET /track/{id}", trackingId, NewIp());

        Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Found));
    }

    [Test]
    public async Task Redirect_OverTheLimit_ForABrowserAcceptingOnlyHtml_Returns429WithRetryAfterAndAReason()
    {
        var trackingId = await CreateLinkIdAsync();
        var ip = NewIp();
        await SendManyAsync(Anonymous, "GET /track/{id}", trackingId, ip, ClicksLimit);

        using var rejected = await SendAsync(Anonymous, "GET /track/{id}", trackingId, ip, accept: "text/html");

        Assert.That(rejected.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(rejected.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(60)));
        Assert.That(await rejected.Content.ReadAsStringAsync(), Does.Contain("client IP address"));
    }

    [Test]
    public async Task ClickLimit_RetryAfterCountsDown_AndTheBudgetReturnsWhenTheWindowEnds()
    {
        var trackingId = await CreateLinkIdAsync();
        var ip = NewIp();
        await SendManyAsync(Anonymous, "GET /track/{id}", trackingId, ip, ClicksLimit);
        Factory.Time.Advance(TimeSpan.FromSeconds(45));
        using var stillLimited = await SendAsync(Anonymous, "GET /track/{id}", trackingId, ip);

        Factory.Time.Advance(TimeSpan.FromSeconds(15));
        using var afterTheWindow = await SendAsync(Anonymous, "GET /track/{id}", trackingId, ip);

        Assert.That(stillLimited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(stillLimited.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(15)));
        Assert.That(afterTheWindow.StatusCode, Is.EqualTo(HttpStatusCode.Found));
    }

    [TestCaseSource(nameof(AnalyticsRoutes))]
    public async Task AnalyticsRoute_OverThePerKeyLimit_Returns429_AndAnotherKeyIsNotAffected(string route)
    {
        var trackingId = await CreateLinkIdAsync();
        using var reader = Factory.ClientWithKey(await Factory.CreateApiKeyAsync("analytics:read"));
        using var otherReader = Factory.ClientWithKey(await Factory.CreateApiKeyAsync("analytics:read"));
        var ip = NewIp();
        var allowed = await SendManyAsync(reader, route, trackingId, ip, AnalyticsLimit);

        using var rejected = await SendAsync(reader, route, trackingId, ip);
        using var other = await SendAsync(otherReader, route, trackingId, ip);

        Assert.That(allowed, Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(rejected.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(60)));
        var problem = await AssertProblemAsync(rejected, HttpStatusCode.TooManyRequests);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("API key").And.Contain("2"));
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.OK), "another key from the same address has its own budget");
    }

    [Test]
    public async Task AnalyticsLimit_FollowsTheKey_AcrossClientIpsAndAnalyticsRoutes()
    {
        var trackingId = await CreateLinkIdAsync();
        using var reader = Factory.ClientWithKey(await Factory.CreateApiKeyAsync("analytics:read"));
        using var report = await SendAsync(reader, "GET /api/v1/link-tracking/report", trackingId, NewIp());
        using var list = await SendAsync(reader, "GET /api/v1/link-tracking/links", trackingId, NewIp());

        using var rejected = await SendAsync(reader, "GET /api/v1/link-tracking/analytics/{id}", trackingId, NewIp());

        Assert.That(new[] { report.StatusCode, list.StatusCode }, Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(rejected.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
    }

    [Test]
    public async Task RequestsRefusedByAuthentication_DoNotSpendAnyBudget()
    {
        var trackingId = await CreateLinkIdAsync();
        var ip = NewIp();
        using var unauthenticated = Factory.ClientWithKey("ltk_NotARealKey00000000000000000000000000000");
        var refused = await SendManyAsync(unauthenticated, "POST /api/v1/link-tracking/record-click", trackingId, ip, ClicksLimit + 2);

        using var redirect = await SendAsync(Anonymous, "GET /track/{id}", trackingId, ip);

        Assert.That(refused, Is.All.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(redirect.StatusCode, Is.EqualTo(HttpStatusCode.Found));
    }

    [Test]
    public async Task RoutesWithoutALimit_StayOpen_WhenTheBudgetsAreSpent()
    {
        var trackingId = await CreateLinkIdAsync();
        using var key = Factory.ClientWithKey(await Factory.CreateApiKeyAsync("analytics:read", "clicks:write"));
        var ip = NewIp();
        await SendManyAsync(key, "GET /api/v1/link-tracking/report", trackingId, ip, AnalyticsLimit + 1);
        await SendManyAsync(key, "GET /track/{id}", trackingId, ip, ClicksLimit + 1);

        var oneLink = await SendManyAsync(key, "GET /api/v1/link-tracking/links/{id}", trackingId, ip, 5);

        Assert.That(oneLink, Is.All.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("/track/health")]
    [TestCase("/health/live")]
    [TestCase("/health/ready")]
    public async Task HealthRoute_IsNeverLimited(string path)
    {
        var trackingId = await CreateLinkIdAsync();
        var ip = NewIp();
        var redirects = await SendManyAsync(Anonymous, "GET /track/{id}", trackingId, ip, ClicksLimit + 1);

        var health = await SendManyAsync(Anonymous, "GET " + path, trackingId, ip, 10);

        Assert.That(redirects[^1], Is.EqualTo(HttpStatusCode.TooManyRequests), "this address has spent its click budget");
        Assert.That(health, Is.All.EqualTo(HttpStatusCode.OK));
    }

    /// <summary>A client address no other test of this run uses.</summary>
    private static string NewIp()
    {
        var n = Interlocked.Increment(ref _lastHost);
        return $"10.77.{n / 256}.{n % 256}";
    }

    private static async Task<HttpStatusCode[]> SendManyAsync(HttpClient client, string route, string trackingId, string ip, int count)
    {
        var statuses = new HttpStatusCode[count];
        for (var i = 0; i < count; i++)
        {
            using var response = await SendAsync(client, route, trackingId, ip);
            statuses[i] = response.StatusCode;
        }

        return statuses;
    }

    /// <summary>Sends <c>"METHOD /path"</c> from <paramref name="ip"/>, with a valid body for the click routes.</summary>
    internal static Task<HttpResponseMessage> SendAsync(HttpClient client, string route, string trackingId, string ip, string? accept = null)
    {
        var (method, path) = (route[..route.IndexOf(' ', StringComparison.Ordinal)], route[(route.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        path = path.Replace("{id}", trackingId, StringComparison.Ordinal).Replace("{guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add(LinkTrackingApiFactory.RemoteIpHeader, ip);
        if (accept is not null)
        {
            request.Headers.Add("Accept", accept);
        }

        if (path.EndsWith("/record-click", StringComparison.Ordinal))
        {
            request.Content = JsonContent.Create(new { tracking_id = trackingId });
        }
        else if (path.EndsWith("/record-clicks", StringComparison.Ordinal))
        {
            request.Content = JsonContent.Create(new { clicks = new[] { new { tracking_id = trackingId } } });
        }

        return client.SendAsync(request);
    }
}

/// <summary>A limit of 0 turns it off.</summary>
public sealed class RateLimitsOffTests(TestProvider provider) : ApiFixture(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:ClicksPerMinutePerIp"] = "0",
        ["RateLimits:AnalyticsPerMinutePerKey"] = "0",
    };

    [Test]
    public async Task LimitsOfZero_LetEveryRequestThrough()
    {
        var trackingId = await CreateLinkIdAsync();
        using var reader = Factory.ClientWithKey(await Factory.CreateApiKeyAsync("analytics:read"));
        var statuses = new List<HttpStatusCode>();

        for (var i = 0; i < 30; i++)
        {
            using var redirect = await RateLimitTests.SendAsync(Anonymous, "GET /track/{id}", trackingId, "10.78.0.1");
            using var report = await RateLimitTests.SendAsync(reader, "GET /api/v1/link-tracking/report", trackingId, "10.78.0.1");
            statuses.Add(redirect.StatusCode);
            statuses.Add(report.StatusCode);
        }

        Assert.That(statuses, Is.All.AnyOf(HttpStatusCode.Found, HttpStatusCode.OK));
    }
}

/// <summary>Without configuration the contract's limits apply: 1000 click requests per IP and 100 analytics requests per key.</summary>
public sealed class RateLimitDefaultsTests(TestProvider provider) : ApiFixture(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:ClicksPerMinutePerIp"] = null,
        ["RateLimits:AnalyticsPerMinutePerKey"] = null,
    };

    [Test]
    public async Task Defaults_Are1000ClickRequestsPerIp_And100AnalyticsRequestsPerKey()
    {
        using var reader = Factory.ClientWithKey(await Factory.CreateApiKeyAsync("analytics:read"));
        var clicks = new List<HttpStatusCode>();
        var analytics = new List<HttpStatusCode>();

        // Malformed ids are answered before the database is touched, but they count all the same.
        for (var i = 0; i <= 1000; i++)
        {
            using var response = await RateLimitTests.SendAsync(Anonymous, "HEAD /track/{id}", "not-an-id", "10.79.0.1");
            clicks.Add(response.StatusCode);
        }

        for (var i = 0; i <= 100; i++)
        {
            using var response = await RateLimitTests.SendAsync(reader, "GET /api/v1/link-tracking/links?page_size=1", "unused", "10.79.0.1");
            analytics.Add(response.StatusCode);
        }

        Assert.That(clicks.Take(1000), Is.All.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(clicks[1000], Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(analytics.Take(100), Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(analytics[100], Is.EqualTo(HttpStatusCode.TooManyRequests));
    }
}

/// <summary>Two instances on one PostgreSQL database and one Redis: requests split between them share one budget.</summary>
[NonParallelizable]
public sealed class SharedRateLimitTests
{
    private TestDatabase _database = null!;
    private LinkTrackingApiFactory _first = null!;
    private LinkTrackingApiFactory _second = null!;

    [OneTimeSetUp]
    public async Task StartTwoInstances()
    {
        var redis = Environment.GetEnvironmentVariable(MultiInstanceCacheTests.RedisVariable)
            ?? throw new InvalidOperationException($"{MultiInstanceCacheTests.RedisVariable} is not set; run ./test.sh, which starts a private Redis, or point it at one (host:port).");
        _database = await TestDatabase.CreateAsync(TestProvider.Postgres, migrate: true);
        var settings = new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = redis,
            ["RateLimits:ClicksPerMinutePerIp"] = "4",
            ["RateLimits:AnalyticsPerMinutePerKey"] = "3",
        };
        _first = new LinkTrackingApiFactory(_database, settings);
        _second = new LinkTrackingApiFactory(_database, settings);
    }

    [OneTimeTearDown]
    public async Task StopInstances()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task ClickLimit_IsOneBudgetPerIp_AcrossInstances()
    {
        var link = await _first.CreateLinkAsync(new { original_url = "https://example.com/portfolio", link_function = "Portfolio" });
        var trackingId = link.GetProperty("tracking_id").GetString()!;
        using var browserOnFirst = _first.ClientWithKey(null);
        using var browserOnSecond = _second.ClientWithKey(null);

        // Redis keeps windows across test runs: an address of this run only.
        var ip = RandomIp();
        var allowed = new List<HttpStatusCode>();
        foreach (var client in new[] { browserOnFirst, browserOnSecond, browserOnFirst, browserOnSecond })
        {
            using var response = await RateLimitTests.SendAsync(client, "GET /track/{id}", trackingId, ip);
            allowed.Add(response.StatusCode);
        }

        using var rejectedOnSecond = await RateLimitTests.SendAsync(browserOnSecond, "GET /track/{id}", trackingId, ip);
        using var rejectedOnFirst = await RateLimitTests.SendAsync(browserOnFirst, "GET /track/{id}", trackingId, ip);
        using var otherIp = await RateLimitTests.SendAsync(browserOnSecond, "GET /track/{id}", trackingId, RandomIp());

        Assert.That(allowed, Is.All.EqualTo(HttpStatusCode.Found));
        Assert.That(rejectedOnFirst.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(rejectedOnSecond.Headers.RetryAfter?.Delta, Is.InRange(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)));
        var problem = await ReadProblemAsync(rejectedOnSecond);
        Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo(429));
        Assert.That(otherIp.StatusCode, Is.EqualTo(HttpStatusCode.Found));
    }

    [Test]
    public async Task AnalyticsLimit_IsOneBudgetPerKey_AcrossInstances()
    {
        var secret = await _first.CreateApiKeyAsync("analytics:read");
        using var onFirst = _first.ClientWithKey(secret);
        using var onSecond = _second.ClientWithKey(secret);
        using var otherKey = _second.ClientWithKey(await _first.CreateApiKeyAsync("analytics:read"));
        var allowed = new List<HttpStatusCode>();
        foreach (var client in new[] { onFirst, onSecond, onFirst })
        {
            using var response = await RateLimitTests.SendAsync(client, "GET /api/v1/link-tracking/report", string.Empty, RandomIp());
            allowed.Add(response.StatusCode);
        }

        using var rejected = await RateLimitTests.SendAsync(onSecond, "GET /api/v1/link-tracking/links", string.Empty, RandomIp());
        using var other = await RateLimitTests.SendAsync(otherKey, "GET /api/v1/link-tracking/report", string.Empty, RandomIp());

        Assert.That(allowed, Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(rejected.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(rejected.Headers.RetryAfter?.Delta, Is.InRange(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)));
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    /// <summary>A random IPv6 address: no earlier run's window in Redis can match it.</summary>
    private static string RandomIp() => new IPAddress(Guid.NewGuid().ToByteArray()).ToString();

    private static async Task<System.Text.Json.JsonElement> ReadProblemAsync(HttpResponseMessage response)
    {
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        return System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}

/// <summary>Shared limits while Redis is unreachable: each instance keeps its own window instead of failing requests.</summary>
public sealed class SharedRateLimiterFallbackTests
{
    [Test]
    public async Task SharedLimiter_WhileRedisIsUnreachable_FallsBackToThisInstancesWindow()
    {
        // Nothing listens on port 1: the multiplexer stays disconnected.
        await using var unreachable = await ConnectionMultiplexer.ConnectAsync("127.0.0.1:1,abortConnect=false,connectTimeout=100");
        var options = new RedisFixedWindowRateLimiterOptions { PermitLimit = 2, Window = TimeSpan.FromMinutes(1), ConnectionMultiplexerFactory = () => unreachable };
        var time = new FakeTimeProvider();
        using var limiter = new SharedFixedWindowRateLimiter(
            new RedisFixedWindowRateLimiter<string>("linktracking:fallback-test", options),
            new InProcessFixedWindowRateLimiter(2, TimeSpan.FromMinutes(1), time),
            unreachable,
            new RedisLimitOutage(NullLogger.Instance));

        using var first = await limiter.AcquireAsync();
        using var second = await limiter.AcquireAsync();
        using var third = await limiter.AcquireAsync();

        Assert.That(new[] { first.IsAcquired, second.IsAcquired, third.IsAcquired }, Is.EqualTo(new[] { true, true, false }));
        Assert.That(third.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter), Is.True);
        Assert.That(retryAfter, Is.EqualTo(TimeSpan.FromMinutes(1)));
    }
}
