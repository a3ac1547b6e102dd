using System.Net.Sockets;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LinkTracking.Infrastructure.UnitTests.Persistence;

/// <summary>What start-up and the API key check treat as "the database did not answer", and what they surface as a fault.</summary>
public sealed class DatabaseUnreachableTests
{
    private static IEnumerable<TestCaseData> Unreachable()
    {
        yield return new TestCaseData(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))).SetName("connection refused");
        yield return new TestCaseData(new InvalidOperationException("transient failure", new NpgsqlException("Failed to connect"))).SetName("EF's retries gave up");
        yield return new TestCaseData(Server("57P01")).SetName("server shutting down");
        yield return new TestCaseData(Server("57P03")).SetName("server starting up");
        yield return new TestCaseData(Server("53300")).SetName("too many connections");
        yield return new TestCaseData(Server("08006")).SetName("connection failure");
        yield return new TestCaseData(Server(DatabaseTimeouts.QueryCanceled)).SetName("statement timeout");
        yield return new TestCaseData(new NpgsqlException("Exception while reading from stream", new TimeoutException())).SetName("command timeout");
        yield return new TestCaseData(new SqliteException("database is locked", 5)).SetName("SQLite busy");
        yield return new TestCaseData(new SqliteException("unable to open database file", 14)).SetName("SQLite file cannot be opened");
        yield return new TestCaseData(new AggregateException(new InvalidOperationException("x"), new NpgsqlException("reset"))).SetName("inside an aggregate");
    }

    private static IEnumerable<TestCaseData> Answered()
    {
        yield return new TestCaseData(Server("42P01")).SetName("missing table");
        yield return new TestCaseData(Server("23505")).SetName("unique violation");
        yield return new TestCaseData(new InvalidOperationException("wrapped", Server("42703"))).SetName("wrapped missing column");
        yield return new TestCaseData(new SqliteException("no such table: api_keys", 1)).SetName("SQLite error");
        yield return new TestCaseData(new InvalidOperationException("a bug")).SetName("not a database error");
    }

    [TestCaseSource(nameof(Unreachable))]
    public void DidNotAnswer(Exception exception) => Assert.That(DatabaseUnreachable.Is(exception), Is.True);

    [TestCaseSource(nameof(Answered))]
    public void AnsweredWithAnError(Exception exception) => Assert.That(DatabaseUnreachable.Is(exception), Is.False);

    private static PostgresException Server(string sqlState) => new("server error", "ERROR", "ERROR", sqlState);
}
