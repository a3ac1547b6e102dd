using System.Collections.Concurrent;
using System.Text.Json;
using LinkTracking.Application.Common.Exceptions;
using LinkTracking.WebApi.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// The exception handler on its own: every form in which either provider reports a database that did not answer in
/// time becomes a 503 problem with <c>Retry-After</c> and a warning naming the route; other database errors stay 500.
/// </summary>
public sealed class DatabaseTimeoutProblemTests
{
    private const string Route = "api/v{version:apiVersion}/link-tracking/report";

    private static IEnumerable<TestCaseData> Timeouts()
    {
        yield return new TestCaseData(new PostgresException("canceling statement due to statement timeout", "ERROR", "ERROR", "57014"))
            .SetName("PostgreSQL statement_timeout (57014)");
        yield return new TestCaseData(new PostgresException("canceling statement due to lock timeout", "ERROR", "ERROR", "55P03"))
            .SetName("PostgreSQL lock_timeout (55P03)");
        yield return new TestCaseData(new NpgsqlException("Exception while reading from stream", new TimeoutException("Timeout during reading attempt")))
            .SetName("Npgsql command timeout (NpgsqlException around TimeoutException)");
        yield return new TestCaseData(new DbUpdateException("An error occurred while saving the entity changes.", new NpgsqlException("Exception while reading from stream", new TimeoutException())))
            .SetName("EF Core wrapping an Npgsql command timeout");
        yield return new TestCaseData(new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", new PostgresException("canceling statement due to statement timeout", "ERROR", "ERROR", "57014")))
            .SetName("EF Core execution strategy wrapping 57014");
        yield return new TestCaseData(new SqliteException("SQLite Error 5: 'database is locked'.", 5)).SetName("SQLite busy (5)");
        yield return new TestCaseData(new SqliteException("SQLite Error 6: 'database table is locked'.", 6)).SetName("SQLite locked (6)");
        yield return new TestCaseData(new TimeoutException("The operation has timed out.")).SetName("TimeoutException");
        yield return new TestCaseData(new DatabaseTimeoutException(TimeSpan.FromMilliseconds(1234), new TimeoutException())).SetName("DatabaseTimeoutException");
        yield return new TestCaseData(new AggregateException(new InvalidOperationException(), new SqliteException("database is locked", 5))).SetName("an aggregate holding SQLite busy");
    }

    private static IEnumerable<TestCaseData> OtherDatabaseErrors()
    {
        yield return new TestCaseData(new PostgresException("duplicate key value violates unique constraint", "ERROR", "ERROR", "23505")).SetName("PostgreSQL unique violation");
        yield return new TestCaseData(new NpgsqlException("Failed to connect")).SetName("Npgsql without a timeout inside");
        yield return new TestCaseData(new SqliteException("SQLite Error 1: 'no such table'.", 1)).SetName("SQLite error 1");
    }

    [TestCaseSource(nameof(Timeouts))]
    public async Task DatabaseTimeout_Answers503ProblemWithRetryAfter(Exception exception)
    {
        var (context, logs) = await HandleAsync(exception);

        var problem = await ReadBodyAsync(context);
        Assert.Multiple(() =>
        {
            Assert.That(context.Response.StatusCode, Is.EqualTo(StatusCodes.Status503ServiceUnavailable));
            Assert.That(context.Response.Headers.RetryAfter.ToString(), Is.EqualTo("5"));
            Assert.That(context.Response.ContentType, Does.StartWith("application/problem+json"));
            Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo(503));
            Assert.That(problem.GetProperty("detail").GetString(), Is.EqualTo(ProblemDetailsExceptionHandler.DatabaseTimeoutDetail));
            Assert.That(logs.Entries, Has.Exactly(1).Matches<(LogLevel Level, string Text)>(e =>
                e.Level == LogLevel.Warning && e.Text.Contains($"GET {Route}", StringComparison.Ordinal) && e.Text.Contains(" ms", StringComparison.Ordinal)));
            Assert.That(logs.Entries.Select(e => e.Level), Has.None.EqualTo(LogLevel.Error));
        });
    }

    [Test]
    public async Task DatabaseTimeoutException_LogsTheDurationOfTheRead()
    {
        var (_, logs) = await HandleAsync(new DatabaseTimeoutException(TimeSpan.FromMilliseconds(1234), new TimeoutException()));

        Assert.That(logs.Entries.Select(e => e.Text), Has.One.Contains("after 1234 ms"));
    }

    [TestCaseSource(nameof(OtherDatabaseErrors))]
    public async Task OtherDatabaseError_StaysA500WithoutDetails(Exception exception)
    {
        var (context, logs) = await HandleAsync(exception);

        var problem = await ReadBodyAsync(context);
        Assert.Multiple(() =>
        {
            Assert.That(context.Response.StatusCode, Is.EqualTo(StatusCodes.Status500InternalServerError));
            Assert.That(context.Response.Headers.ContainsKey("Retry-After"), Is.False);
            Assert.That(problem.GetProperty("detail").GetString(), Is.EqualTo("An unexpected error occurred."));
            Assert.That(logs.Entries.Select(e => e.Level), Has.Member(LogLevel.Error));
        });
    }

    private static async Task<(HttpContext Context, RecordingLogger Logs)> HandleAsync(Exception exception)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var logs = new RecordingLogger();
        var handler = new ProblemDetailsExceptionHandler(services.GetRequiredService<IProblemDetailsService>(), logs);
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "GET";
        context.Request.Path = "/api/v1/link-tracking/report";
        context.Response.Body = new MemoryStream();
        context.SetEndpoint(new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse(Route), 0, EndpointMetadataCollection.Empty, "report"));

        var handled = await handler.TryHandleAsync(context, exception, CancellationToken.None);

        Assert.That(handled, Is.True);
        return (context, logs);
    }

    private static async Task<JsonElement> ReadBodyAsync(HttpContext context)
    {
        context.Response.Body.Position = 0;
        using var document = await JsonDocument.ParseAsync(context.Response.Body);
        return document.RootElement.Clone();
    }

    private sealed class RecordingLogger : ILogger<ProblemDetailsExceptionHandler>
    {
        private readonly ConcurrentQueue<(LogLevel Level, string Text)> _entries = new();

        public IEnumerable<(LogLevel Level, string Text)> Entries => _entries;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _entries.Enqueue((logLevel, formatter(state, exception)));
    }
}
