using System.Net;

namespace LinkTracking.Client;

/// <summary>
/// Retries a request the service answered with 429 (rate limit) or 503 (database busy), waiting what
/// <c>Retry-After</c> says (seconds or a date), or an exponential back-off when it says nothing; at most
/// <see cref="MaxRetries"/> times and never longer than <see cref="MaxDelay"/> per wait. The request body is buffered
/// once so that it can be sent again.
/// </summary>
public sealed class RetryAfterHandler : DelegatingHandler
{
    private readonly TimeProvider _timeProvider;

    public RetryAfterHandler(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public RetryAfterHandler(HttpMessageHandler innerHandler, TimeProvider? timeProvider = null)
        : base(innerHandler)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public int MaxRetries { get; init; } = 3;

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Content is not null)
        {
            await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        for (var attempt = 0; ; attempt++)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (attempt >= MaxRetries || !IsRetryable(response.StatusCode))
            {
                return response;
            }

            var delay = DelayFor(response, attempt);
            response.Dispose();
            await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsRetryable(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;

    private TimeSpan DelayFor(HttpResponseMessage response, int attempt)
    {
        var retryAfter = response.Headers.RetryAfter;
        var delay = retryAfter?.Delta
            ?? (retryAfter?.Date is { } date ? date - _timeProvider.GetUtcNow() : BaseDelay * Math.Pow(2, attempt));
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxDelay ? MaxDelay : delay;
    }
}
