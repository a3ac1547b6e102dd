namespace LinkTracking.Infrastructure.Persistence;

/// <summary>Looks for an exception inside another, as EF Core and Npgsql wrap them: inner exceptions and aggregates.</summary>
internal static class ExceptionChain
{
    private const int MaxDepth = 16;

    /// <summary>Whether <paramref name="exception"/> or any exception inside it (at most 16 levels down) matches.</summary>
    public static bool Any(Exception? exception, Func<Exception, bool> match) => Any(exception, match, 0);

    private static bool Any(Exception? exception, Func<Exception, bool> match, int depth)
    {
        if (exception is null || depth > MaxDepth)
        {
            return false;
        }

        if (match(exception))
        {
            return true;
        }

        return exception is AggregateException aggregate
            ? aggregate.InnerExceptions.Any(e => Any(e, match, depth + 1))
            : Any(exception.InnerException, match, depth + 1);
    }
}
