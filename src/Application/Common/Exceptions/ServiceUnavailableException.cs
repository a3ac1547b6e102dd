namespace LinkTracking.Application.Common.Exceptions;

/// <summary>
/// The service cannot take the request now but will soon (the click spool is over its disk budget, say). Maps to
/// 503 with <c>Retry-After</c>; nothing of the request was kept.
/// </summary>
public sealed class ServiceUnavailableException : Exception
{
    public ServiceUnavailableException()
    {
    }

    public ServiceUnavailableException(string message)
        : base(message)
    {
    }

    public ServiceUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ServiceUnavailableException(string message, TimeSpan retryAfter)
        : base(message) => RetryAfter = retryAfter;

    /// <summary>When to try again.</summary>
    public TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(5);

    /// <summary>Partner clicks are refused while the spool is over its disk budget.</summary>
    public static ServiceUnavailableException ClickBacklog() =>
        new("The service is holding more clicks than its disk budget allows while the database catches up; nothing was stored, retry later.", TimeSpan.FromSeconds(30));
}
