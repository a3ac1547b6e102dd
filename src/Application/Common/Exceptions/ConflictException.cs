namespace LinkTracking.Application.Common.Exceptions;

/// <summary>The request is well-formed but clashes with the state of the resource (an inactive link, say). Maps to 409.</summary>
public sealed class ConflictException : Exception
{
    public ConflictException()
    {
    }

    public ConflictException(string message)
        : base(message)
    {
    }

    public ConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
