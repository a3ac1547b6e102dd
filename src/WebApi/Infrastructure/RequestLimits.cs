using Microsoft.AspNetCore.Http.Metadata;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>Input size limits (see docs/security.md).</summary>
public static class RequestLimits
{
    /// <summary>Request bodies over this many bytes get 413, unless their action says otherwise (<see cref="MaxBatchBodyBytes"/>).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>
    /// <c>record-clicks</c> only (<c>[RequestSizeLimit]</c> on the action): 1000 clicks with real agents and referrers do
    /// not fit in 64 KiB. Also Kestrel's own ceiling, so the per-route limit below is what applies.
    /// </summary>
    public const int MaxBatchBodyBytes = 1024 * 1024;

    /// <summary>The body limit of the request's endpoint: its <c>[RequestSizeLimit]</c>, else <see cref="MaxBodyBytes"/>.</summary>
    public static long BodyLimitOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? MaxBodyBytes;
    }

    /// <summary>All request headers together.</summary>
    public const int MaxHeaderBytes = 16 * 1024;

    public const int MaxRequestLineBytes = 4 * 1024;
}

/// <summary>The request body grew past its limit (<see cref="RequestLimits.BodyLimitOf"/>).</summary>
public sealed class RequestBodyTooLargeException : Exception
{
    public RequestBodyTooLargeException()
        : base($"Request bodies are limited to {RequestLimits.MaxBodyBytes} bytes.")
    {
    }

    public RequestBodyTooLargeException(long limit)
        : base($"Request bodies are limited to {limit} bytes on this route.")
    {
    }

    public RequestBodyTooLargeException(string message)
        : base(message)
    {
    }

    public RequestBodyTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Enforces each route's body limit whatever the server (64 KiB; 1 MiB where the action says so): a declared
/// Content-Length over the limit is refused before the body is read, and a chunked body is cut off when it passes it.
/// Runs after routing (WebApplication routes first), so the endpoint's <c>[RequestSizeLimit]</c> is known.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var limit = RequestLimits.BodyLimitOf(context);
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } server)
        {
            server.MaxRequestBodySize = limit;
        }

        if (context.Request.ContentLength > limit)
        {
            throw new RequestBodyTooLargeException(limit);
        }

        // A request that cannot have a body (a GET or HEAD without Content-Length or Transfer-Encoding: the redirect) has
        // nothing to cut off.
        if (context.Request.ContentLength is null
            && context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>() is not { CanHaveBody: false }
            && context.Request.Body.CanRead)
        {
            context.Request.Body = new LimitedReadStream(context.Request.Body, limit);
        }

        return next(context);
    }

    private sealed class LimitedReadStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int n)
        {
            _read += n;
            return _read > limit ? throw new RequestBodyTooLargeException(limit) : n;
        }
    }
}
