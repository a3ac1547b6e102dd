namespace LinkTracking.WebApi.Infrastructure;

/// <summary>Input size limits (see docs/security.md).</summary>
public static class RequestLimits
{
    /// <summary>Request bodies over this many bytes get 413.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>All request headers together.</summary>
    public const int MaxHeaderBytes = 16 * 1024;

    public const int MaxRequestLineBytes = 4 * 1024;
}

/// <summary>The request body grew past <see cref="RequestLimits.MaxBodyBytes"/>.</summary>
public sealed class RequestBodyTooLargeException : Exception
{
    public RequestBodyTooLargeException()
        : base($"Request bodies are limited to {RequestLimits.MaxBodyBytes} bytes.")
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
/// Enforces the body limit whatever the server: a declared Content-Length over the limit is refused before the
/// body is read, and a chunked body is cut off when it passes the limit.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > RequestLimits.MaxBodyBytes)
        {
            throw new RequestBodyTooLargeException();
        }

        if (context.Request.ContentLength is null && context.Request.Body.CanRead)
        {
            context.Request.Body = new LimitedReadStream(context.Request.Body, RequestLimits.MaxBodyBytes);
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
            return _read > limit ? throw new RequestBodyTooLargeException() : n;
        }
    }
}
