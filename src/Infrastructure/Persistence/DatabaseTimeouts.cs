using LinkTracking.Application.Common.Exceptions;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LinkTracking.Infrastructure.Persistence;

/// <summary>
/// Recognises a database that did not answer in time, from either provider and in EF Core's wrapped forms: the
/// exception itself or any exception inside it (inner exceptions, aggregates) is one of
/// <list type="bullet">
/// <item><see cref="DatabaseTimeoutException"/> (a bounded read gave up, <see cref="BoundedReads"/>);</item>
/// <item><see cref="TimeoutException"/> (Npgsql's command timeout, as the inner exception of an <see cref="NpgsqlException"/>);</item>
/// <item><see cref="PostgresException"/> with SQLSTATE 57014 <c>query_canceled</c> (<c>statement_timeout</c>, or the
/// cancel Npgsql sends when its command timeout fires) or 55P03 <c>lock_not_available</c> (<c>lock_timeout</c>);</item>
/// <item><see cref="SqliteException"/> SQLITE_BUSY (5) or SQLITE_LOCKED (6): another connection held the database past the busy timeout.</item>
/// </list>
/// A cancellation the caller asked for is not a timeout: callers check their own token first.
/// </summary>
public static class DatabaseTimeouts
{
    /// <summary>SQLSTATE of a statement cancelled by <c>statement_timeout</c> or a cancel request.</summary>
    public const string QueryCanceled = "57014";

    /// <summary>SQLSTATE of a lock not obtained within <c>lock_timeout</c>.</summary>
    public const string LockNotAvailable = "55P03";

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    public static bool IsTimeout(Exception exception) =>
        ExceptionChain.Any(exception, static e => e switch
        {
            DatabaseTimeoutException => true,
            TimeoutException => true,
            PostgresException { SqlState: QueryCanceled or LockNotAvailable } => true,
            SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked } => true,
            _ => false,
        });
}
