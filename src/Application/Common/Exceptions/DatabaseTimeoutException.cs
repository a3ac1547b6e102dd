namespace LinkTracking.Application.Common.Exceptions;

/// <summary>
/// The database did not answer within the time allowed to the request (a statement timeout, a command timeout, a lock
/// held too long). The request was well-formed and may succeed later: maps to 503 with <c>Retry-After</c>, never 500.
/// </summary>
public sealed class DatabaseTimeoutException : Exception
{
    public DatabaseTimeoutException()
    {
    }

    public DatabaseTimeoutException(string message)
        : base(message)
    {
    }

    public DatabaseTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DatabaseTimeoutException(TimeSpan elapsed, Exception innerException)
        : base($"The database did not answer within {elapsed.TotalMilliseconds:F0} ms.", innerException)
    {
        Elapsed = elapsed;
    }

    /// <summary>How long the database work ran before it was given up, when known.</summary>
    public TimeSpan? Elapsed { get; }
}
