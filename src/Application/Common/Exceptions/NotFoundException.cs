namespace LinkTracking.Application.Common.Exceptions;

/// <summary>The thing asked for does not exist. Maps to 404.</summary>
public sealed class NotFoundException : Exception
{
    public NotFoundException()
    {
    }

    public NotFoundException(string message)
        : base(message)
    {
    }

    public NotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public static NotFoundException For(string what, object key) => new($"{what} '{key}' was not found.");
}
