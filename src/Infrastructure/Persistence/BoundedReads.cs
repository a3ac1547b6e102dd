using System.Data;
using System.Diagnostics;
using System.Globalization;
using LinkTracking.Application.Common.Exceptions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Persistence;

/// <summary>
/// Runs a read (analytics, summaries, the report, the list of links) within <see cref="DatabaseOptions.QueryTimeout"/>,
/// so that a slow query answers 503 instead of holding a connection, and an abandoned request does not keep the
/// database busy:
/// <list type="bullet">
/// <item>the read gets a token that is cancelled when the request is aborted or the timeout passes; a cancelled token
/// makes Npgsql send PostgreSQL a cancel request, so the statement stops on the server too;</item>
/// <item>on PostgreSQL the read runs in a read-only REPEATABLE READ transaction with <c>SET LOCAL statement_timeout</c>,
/// so the server gives up by itself even when the client's cancel never arrives (and every statement of the read sees
/// the same snapshot); <c>LOCAL</c> ends with the transaction, so the pooled connection keeps no setting;</item>
/// <item>the command timeout (whole seconds, at least 1) is the timeout too: on SQLite it bounds the wait for a busy
/// database.</item>
/// </list>
/// A read that runs out of time throws <see cref="DatabaseTimeoutException"/>; one whose caller cancelled throws
/// <see cref="OperationCanceledException"/> as before.
/// </summary>
public sealed class BoundedReads(LinkTrackingDbContext db, IOptions<DatabaseOptions> options)
{
    private readonly TimeSpan _timeout = options.Value.QueryTimeout > TimeSpan.Zero ? options.Value.QueryTimeout : TimeSpan.FromSeconds(15);

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        var previousCommandTimeout = db.Database.GetCommandTimeout();
        db.Database.SetCommandTimeout((int)Math.Max(1, Math.Ceiling(_timeout.TotalSeconds)));
        try
        {
            if (db is not PostgresLinkTrackingDbContext || db.Database.CurrentTransaction is not null)
            {
                return await read(deadline.Token);
            }

            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, deadline.Token);
            var milliseconds = ((long)Math.Max(1, Math.Ceiling(_timeout.TotalMilliseconds))).ToString(CultureInfo.InvariantCulture);
            await db.Database.ExecuteSqlAsync($"SELECT set_config('statement_timeout', {milliseconds}, true), set_config('transaction_read_only', 'on', true)", deadline.Token);
            var result = await read(deadline.Token);
            await transaction.CommitAsync(deadline.Token);
            return result;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && (deadline.IsCancellationRequested || DatabaseTimeouts.IsTimeout(e)))
        {
            throw new DatabaseTimeoutException(Stopwatch.GetElapsedTime(started), e);
        }
        finally
        {
            db.Database.SetCommandTimeout(previousCommandTimeout);
        }
    }
}
