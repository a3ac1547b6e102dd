using System.Globalization;
using System.Text.RegularExpressions;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LinkTracking.Infrastructure.Retention;

/// <summary>
/// The monthly partitions of <c>link_clicks</c> on PostgreSQL (ADR 0010): <c>link_clicks_YYYY_MM</c> holds the clicks
/// of that UTC month, <c>link_clicks_default</c> whatever no partition covers. Every change runs in a transaction
/// that first takes a transaction-level advisory lock, so several instances doing it at once wait for each other
/// and the second finds the work done; and it takes the table's lock with a <c>lock_timeout</c>, so a long analytics
/// read makes it try again at the next round rather than stall ingest behind it.
/// </summary>
public sealed partial class PostgresClickPartitions(NpgsqlDataSource dataSource, ILogger<PostgresClickPartitions> logger) : IRawClickStorage
{
    public const string DefaultPartition = "link_clicks_default";

    /// <summary>Key of the advisory lock that keeps instances' partition changes apart ("LTPART").</summary>
    private const long AdvisoryLock = 0x4C54_5041_5254;

    private const string LockTimeout = "10s";

    /// <summary>Name of the partition of the month <paramref name="month"/> falls in.</summary>
    public static string PartitionName(DateTime month) => string.Create(CultureInfo.InvariantCulture, $"link_clicks_{month:yyyy_MM}");

    public async Task PrepareAsync(DateTime now, int monthsAhead, CancellationToken cancellationToken)
    {
        var first = MonthOf(now);
        for (var i = 0; i <= monthsAhead; i++)
        {
            await EnsurePartitionAsync(first.AddMonths(i), cancellationToken);
        }
    }

    /// <summary>
    /// Creates the partition of the month <paramref name="month"/> falls in unless it exists. PostgreSQL refuses a
    /// partition whose range has rows in the default partition, so rows of that month are first taken out of the
    /// default and put back through the parent (into the new partition), in the same transaction. Returns whether
    /// the partition was created.
    /// </summary>
    public async Task<bool> EnsurePartitionAsync(DateTime month, CancellationToken cancellationToken)
    {
        var from = MonthOf(month);
        var name = PartitionName(from);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SET LOCAL lock_timeout = '{LockTimeout}'; SELECT pg_advisory_xact_lock({AdvisoryLock})", cancellationToken);
        await using (var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection))
        {
            exists.Parameters.Add(new NpgsqlParameter { Value = name });
            if ((bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return false;
            }
        }

        await ExecuteAsync(connection, $"""
            LOCK TABLE link_clicks IN ACCESS EXCLUSIVE MODE;
            CREATE TEMP TABLE link_clicks_moving ON COMMIT DROP AS
                WITH moved AS (DELETE FROM {DefaultPartition} WHERE {Range(from, from.AddMonths(1))} RETURNING *)
                SELECT * FROM moved;
            CREATE TABLE {name} PARTITION OF link_clicks FOR VALUES FROM ('{Literal(from)}') TO ('{Literal(from.AddMonths(1))}');
            """, cancellationToken);
        var moved = await ExecuteAsync(connection, "INSERT INTO link_clicks SELECT * FROM link_clicks_moving", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogCreated(name, moved);
        return true;
    }

    /// <summary>
    /// Drops every monthly partition that ends on or before the first day of the cutoff's month (so holds only clicks
    /// older than the cutoff; the cutoff's own month stays whole), and deletes the default partition's rows and the
    /// partner event keys before that same day.
    /// </summary>
    public async Task<RetentionResult> RemoveOlderThanAsync(DateTime cutoff, CancellationToken cancellationToken)
    {
        var boundary = MonthOf(cutoff);
        var dropped = 0;
        foreach (var (name, month) in await ListMonthlyPartitionsAsync(cancellationToken))
        {
            if (month.AddMonths(1) > boundary)
            {
                continue;
            }

            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, $"""
                SET LOCAL lock_timeout = '{LockTimeout}';
                SELECT pg_advisory_xact_lock({AdvisoryLock});
                DROP TABLE IF EXISTS {name};
                """, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            dropped++;
            LogDropped(name);
        }

        await using var cleanup = await dataSource.OpenConnectionAsync(cancellationToken);
        var before = $"clicked_at < '{Literal(boundary)}'";
        var rows = await ExecuteAsync(cleanup, $"DELETE FROM {DefaultPartition} WHERE {before}", cancellationToken);
        await ExecuteAsync(cleanup, $"DELETE FROM {ClickEventKey.TableName} WHERE {before}", cancellationToken);
        return new RetentionResult(dropped, rows);
    }

    /// <summary>The partitions named <c>link_clicks_YYYY_MM</c>, with their month.</summary>
    public async Task<IReadOnlyList<(string Name, DateTime Month)>> ListMonthlyPartitionsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'link_clicks'::regclass ORDER BY c.relname
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var partitions = new List<(string, DateTime)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var name = reader.GetString(0);
            if (MonthlyName().Match(name) is { Success: true } match)
            {
                var month = new DateTime(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), 1, 0, 0, 0, DateTimeKind.Utc);
                partitions.Add((name, month));
            }
        }

        return partitions;
    }

    private static DateTime MonthOf(DateTime time) => new(time.Year, time.Month, 1, 0, 0, 0, DateTimeKind.Utc);

    private static string Literal(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Range(DateTime from, DateTime to) => $"clicked_at >= '{Literal(from)}' AND clicked_at < '{Literal(to)}'";

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [GeneratedRegex(@"^link_clicks_(\d{4})_(\d{2})$")]
    private static partial Regex MonthlyName();

    [LoggerMessage(Level = LogLevel.Information, Message = "Created click partition {Partition}; {Moved} rows of its month moved out of the default partition")]
    private partial void LogCreated(string partition, int moved);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention dropped click partition {Partition}")]
    private partial void LogDropped(string partition);
}
