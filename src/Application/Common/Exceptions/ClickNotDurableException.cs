namespace LinkTracking.Application.Common.Exceptions;

/// <summary>
/// Neither the database nor the local spool accepted a click (<see cref="Interfaces.IClickRecorder"/>): the request
/// must not be acknowledged. Answered 503 with <c>Retry-After</c>.
/// </summary>
public sealed class ClickNotDurableException : Exception
{
    public ClickNotDurableException()
    {
    }

    public ClickNotDurableException(string message)
        : base(message)
    {
    }

    public ClickNotDurableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
