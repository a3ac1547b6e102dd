using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>
/// One partition's fixed window in this process: it opens with the first request, lasts <c>window</c>, and admits
/// <c>permitLimit</c> requests; nothing queues. Unlike the framework's <see cref="FixedWindowRateLimiter"/>, a
/// rejection carries the time left until this window resets (the framework's says a whole window), and the clock is
/// the injected <see cref="TimeProvider"/>. Success allocates nothing.
/// </summary>
internal sealed class InProcessFixedWindowRateLimiter : RateLimiter
{
    private readonly int _permitLimit;
    private readonly long _windowTimestampTicks;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private long _windowEnds;
    private int _used;

    public InProcessFixedWindowRateLimiter(int permitLimit, TimeSpan window, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(permitLimit);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        _permitLimit = permitLimit;
        _time = time;
        _windowTimestampTicks = (long)(window.TotalSeconds * time.TimestampFrequency);
        _windowEnds = time.GetTimestamp();
    }

    /// <summary>Idle once the window is over: the partitioned limiter may then drop this partition.</summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            var now = _time.GetTimestamp();
            var windowEnds = Volatile.Read(ref _windowEnds);
            return now >= windowEnds ? _time.GetElapsedTime(windowEnds, now) : null;
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            return new RateLimiterStatistics { CurrentAvailablePermits = now >= _windowEnds ? _permitLimit : _permitLimit - _used };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, _permitLimit);
        var now = _time.GetTimestamp();
        long windowEnds;
        lock (_lock)
        {
            if (now >= _windowEnds)
            {
                _windowEnds = now + _windowTimestampTicks;
                _used = 0;
            }

            if (_used + permitCount <= _permitLimit)
            {
                _used += permitCount;
                return Lease.Acquired;
            }

            windowEnds = _windowEnds;
        }

        return new Lease(_time.GetElapsedTime(now, windowEnds));
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private sealed class Lease : RateLimitLease
    {
        public static readonly Lease Acquired = new(null);

        private readonly TimeSpan? _retryAfter;

        public Lease(TimeSpan? retryAfter) => _retryAfter = retryAfter;

        public override bool IsAcquired => _retryAfter is null;

        public override IEnumerable<string> MetadataNames => _retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (_retryAfter is { } retryAfter && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = retryAfter;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}

/// <summary>
/// One partition's window shared by every instance through Redis (RedisRateLimiting's fixed window). While Redis is
/// unreachable the partition falls back to this instance's own window: limits loosen to per instance, but the redirect
/// keeps working, as it does while the database is down.
/// </summary>
internal sealed class SharedFixedWindowRateLimiter(
    RateLimiter shared,
    InProcessFixedWindowRateLimiter fallback,
    IConnectionMultiplexer redis,
    RedisLimitOutage outage) : RateLimiter
{
    public override TimeSpan? IdleDuration =>
        shared.IdleDuration is { } sharedIdle && fallback.IdleDuration is { } fallbackIdle
            ? (sharedIdle < fallbackIdle ? sharedIdle : fallbackIdle)
            : null;

    public override RateLimiterStatistics? GetStatistics() => redis.IsConnected ? null : fallback.GetStatistics();

    /// <summary>
    /// Redis cannot answer synchronously: the shared limiter refuses here (by design of the package), and the
    /// middleware then asks <see cref="AcquireAsyncCore"/>, which does.
    /// </summary>
    protected override RateLimitLease AttemptAcquireCore(int permitCount) =>
        redis.IsConnected ? shared.AttemptAcquire(permitCount) : fallback.AttemptAcquire(permitCount);

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (!redis.IsConnected)
        {
            // No waiting for the multiplexer's reconnect backlog on the hot path.
            outage.Began(null);
            return fallback.AttemptAcquire(permitCount);
        }

        try
        {
            var lease = await shared.AcquireAsync(permitCount, cancellationToken);
            outage.Ended();
            return lease;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            outage.Began(e);
            return fallback.AttemptAcquire(permitCount);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            shared.Dispose();
            fallback.Dispose();
        }

        base.Dispose(disposing);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await shared.DisposeAsync();
        await fallback.DisposeAsync();
        await base.DisposeAsyncCore();
    }
}

/// <summary>Logs once when shared rate limits fall back to per-instance windows, and once when Redis answers again.</summary>
internal sealed partial class RedisLimitOutage(ILogger logger)
{
    private int _down;

    public void Began(Exception? exception)
    {
        if (Volatile.Read(ref _down) == 0 && Interlocked.Exchange(ref _down, 1) == 0)
        {
            LogFallback(logger, exception);
        }
    }

    public void Ended()
    {
        if (Volatile.Read(ref _down) == 1 && Interlocked.Exchange(ref _down, 0) == 1)
        {
            LogRecovered(logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unreachable: rate limits fall back to per-instance windows until it answers again")]
    private static partial void LogFallback(ILogger logger, Exception? exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis answers again: rate limits are shared across instances")]
    private static partial void LogRecovered(ILogger logger);
}
