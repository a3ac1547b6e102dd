using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using LinkTracking.Application.Common.Options;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using RedisRateLimiting;
using StackExchange.Redis;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>Configuration section <c>RateLimits</c>. A limit of 0 turns it off.</summary>
public sealed class RateLimitsOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>Requests per minute per client IP on <c>/track/{id}</c> and <c>record-click(s)</c>, one budget for all of them.</summary>
    [Between(0, int.MaxValue, ErrorMessage = "RateLimits:ClicksPerMinutePerIp must be 0 (off) or positive.")]
    public int ClicksPerMinutePerIp { get; set; } = 1000;

    /// <summary>Requests per minute per API key on the analytics routes (analytics, summaries, report, link list).</summary>
    [Between(0, int.MaxValue, ErrorMessage = "RateLimits:AnalyticsPerMinutePerKey must be 0 (off) or positive.")]
    public int AnalyticsPerMinutePerKey { get; set; } = 100;

    /// <summary>Dashboard sign-in attempts (POSTs of the sign-in form) per minute per client IP.</summary>
    [Between(0, int.MaxValue, ErrorMessage = "RateLimits:SignInsPerMinutePerIp must be 0 (off) or positive.")]
    public int SignInsPerMinutePerIp { get; set; } = 10;
}

/// <summary>Checks <see cref="RateLimitsOptions"/> at start-up (source-generated from the data annotations).</summary>
[OptionsValidator]
public sealed partial class RateLimitsOptionsValidator : IValidateOptions<RateLimitsOptions>;

/// <summary>
/// Fixed one-minute windows per partition, through the framework's rate-limiting middleware. Attach a policy with
/// <c>[EnableRateLimiting(RateLimitPolicies.ClicksPerIp)]</c>; routes without one (health, key management, link
/// creation) are never limited. With <c>Redis:Configuration</c> set the windows live in Redis and are shared by every
/// instance; while Redis is unreachable each instance falls back to its own window rather than failing requests.
/// </summary>
public static class RateLimitPolicies
{
    /// <summary>Policy of the redirect and <c>record-click(s)</c>: per client IP.</summary>
    public const string ClicksPerIp = "clicks-per-ip";

    /// <summary>Policy of the analytics routes: per API key.</summary>
    public const string AnalyticsPerKey = "analytics-per-key";

    /// <summary>Policy of the dashboard's sign-in page: its POSTs (a key tried) per client IP; showing the form is free.</summary>
    public const string SignInsPerIp = "sign-ins-per-ip";

    /// <summary>Length of one window.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>The response type of a 429 (RFC 6585, section 4).</summary>
    public const string ProblemType = "https://tools.ietf.org/html/rfc6585#section-4";

    /// <summary>Prefix of the Redis keys of shared windows (the package adds <c>rl:fw:{…}</c> around it).</summary>
    private const string RedisKeyPrefix = "linktracking:";

    private static readonly RateLimitPartition<object> Unlimited = RateLimitPartition.GetNoLimiter<object>(string.Empty);

    public static IServiceCollection AddLinkTrackingRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<RateLimitsOptions, RateLimitsOptionsValidator>(configuration.GetSection(RateLimitsOptions.SectionName));

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>()
            .Configure<IOptions<RateLimitsOptions>, IServiceProvider>((options, limits, provider) => Configure(options, limits.Value, provider));
        return services;
    }

    private static void Configure(RateLimiterOptions options, RateLimitsOptions limits, IServiceProvider provider)
    {
        var time = provider.GetRequiredService<TimeProvider>();
        var problems = provider.GetRequiredService<IProblemDetailsService>();

        // Registered by AddInfrastructure exactly when Redis:Configuration is set; the same connection as the cache.
        var redis = provider.GetService<IConnectionMultiplexer>();
        var outage = redis is null ? null : new RedisLimitOutage(provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimitPolicies)));

        Func<object, RateLimiter> Limiter(string policy, int permitLimit)
        {
            if (redis is null)
            {
                return _ => new InProcessFixedWindowRateLimiter(permitLimit, Window, time);
            }

            var shared = new RedisFixedWindowRateLimiterOptions { PermitLimit = permitLimit, Window = Window, ConnectionMultiplexerFactory = () => redis };
            return key => new SharedFixedWindowRateLimiter(
                new RedisFixedWindowRateLimiter<string>(RedisKeyPrefix + policy + ":" + key, shared),
                new InProcessFixedWindowRateLimiter(permitLimit, Window, time),
                redis,
                outage!);
        }

        if (limits.ClicksPerMinutePerIp > 0)
        {
            var limiter = Limiter(ClicksPerIp, limits.ClicksPerMinutePerIp);
            options.AddPolicy(ClicksPerIp, context => ClientIp(context) is { } ip ? RateLimitPartition.Get<object>(ip, limiter) : Unlimited);
        }
        else
        {
            options.AddPolicy(ClicksPerIp, _ => Unlimited);
        }

        if (limits.AnalyticsPerMinutePerKey > 0)
        {
            var limiter = Limiter(AnalyticsPerKey, limits.AnalyticsPerMinutePerKey);

            // The policy runs after authorization, so there always is a key; the IP is only a defensive fallback.
            options.AddPolicy(AnalyticsPerKey, context =>
                context.User.FindFirst(ApiKeyAuthenticationHandler.KeyIdClaim)?.Value is { } keyId ? RateLimitPartition.Get<object>(keyId, limiter)
                : ClientIp(context) is { } ip ? RateLimitPartition.Get<object>(ip, limiter)
                : Unlimited);
        }
        else
        {
            options.AddPolicy(AnalyticsPerKey, _ => Unlimited);
        }

        if (limits.SignInsPerMinutePerIp > 0)
        {
            var limiter = Limiter(SignInsPerIp, limits.SignInsPerMinutePerIp);
            options.AddPolicy(SignInsPerIp, context =>
                HttpMethods.IsPost(context.Request.Method) && ClientIp(context) is { } ip ? RateLimitPartition.Get<object>(ip, limiter) : Unlimited);
        }
        else
        {
            options.AddPolicy(SignInsPerIp, _ => Unlimited);
        }

        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = (context, cancellationToken) => RejectAsync(context, limits, problems, cancellationToken);
    }

    /// <summary>The connection's address (already the forwarded one when a trusted proxy sent it), IPv4 unmapped.</summary>
    private static IPAddress? ClientIp(HttpContext context) =>
        IpAddresses.Normalise(context.Connection.RemoteIpAddress);

    /// <summary>429 with <c>Retry-After</c> (whole seconds until the window resets, at least 1) and a problem document.</summary>
    private static async ValueTask RejectAsync(OnRejectedContext context, RateLimitsOptions limits, IProblemDetailsService problems, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var retryAfter = RetryAfterSeconds(context.Lease);
        http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers.CacheControl = "no-store";

        var policy = http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
        http.RequestServices.GetRequiredService<LinkTracking.Infrastructure.Telemetry.ServiceMetrics>().RateLimited(policy ?? "global");
        var detail = policy switch
        {
            AnalyticsPerKey => $"This API key has used its {limits.AnalyticsPerMinutePerKey} analytics requests per minute; retry in {retryAfter} s.",
            SignInsPerIp => $"Too many sign-in attempts from this address ({limits.SignInsPerMinutePerIp} a minute); retry in {retryAfter} s.",
            _ => $"This client IP address has used its {limits.ClicksPerMinutePerIp} redirect and click requests per minute; retry in {retryAfter} s.",
        };
        if (policy == SignInsPerIp)
        {
            // A person at the sign-in form: a page, not a problem document.
            SecurityHeaders.ApplyHtml(http.Response.Headers);
            http.Response.ContentType = "text/html; charset=utf-8";
            await http.Response.WriteAsync(SecurityHeaders.SimplePage("Too many sign-in attempts", detail), cancellationToken);
            return;
        }

        var written = await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Type = ProblemType,
                Title = "Too many requests",
                Status = StatusCodes.Status429TooManyRequests,
                Detail = detail,
            },
        });
        if (!written)
        {
            // A client that accepts no JSON (a browser asking for text/html only) still learns why.
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync(detail, cancellationToken);
        }
    }

    private static int RetryAfterSeconds(RateLimitLease lease)
    {
        double seconds = Window.TotalSeconds;
        if (lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            seconds = retryAfter.TotalSeconds;
        }
        else if (lease.TryGetMetadata(RateLimitMetadataName.RetryAfter, out var redisSeconds))
        {
            seconds = redisSeconds;
        }

        return Math.Max(1, (int)Math.Ceiling(seconds));
    }
}
