using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LinkTracking.Infrastructure.Persistence;

/// <summary>
/// Recognises a database that did not answer, as opposed to one that answered with an error. A node that cannot reach
/// its database keeps serving what it can (start-up retries migrations; API keys fall back on their last known
/// answer); a database that answers with an error (a broken migration, a missing table) is a fault to surface. The
/// exception itself or any exception inside it (inner exceptions, aggregates, EF Core's retry wrappers) is one of:
/// <list type="bullet">
/// <item>an <see cref="NpgsqlException"/> raised by the client (refused, reset, closed connection), not a
/// <see cref="PostgresException"/> the server sent;</item>
/// <item>a <see cref="PostgresException"/> of SQLSTATE class 08 (connection exception), 57P01–57P03 (the server is
/// shutting down, crashed or starting up) or 53300 (too many connections);</item>
/// <item>a <see cref="SocketException"/>, or a timeout (<see cref="DatabaseTimeouts"/>: a command timeout, a cancelled
/// statement, a busy SQLite file);</item>
/// <item>a <see cref="SqliteException"/> SQLITE_CANTOPEN (14): the file cannot be opened.</item>
/// </list>
/// </summary>
public static class DatabaseUnreachable
{
    private const int SqliteCantOpen = 14;

    public static bool Is(Exception exception) =>
        DatabaseTimeouts.IsTimeout(exception)
        || ExceptionChain.Any(exception, static e => e switch
        {
            PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                                          || postgres.SqlState is "57P01" or "57P02" or "57P03" or "53300",
            NpgsqlException or SocketException => true,
            SqliteException { SqliteErrorCode: SqliteCantOpen } => true,
            _ => false,
        });
}
