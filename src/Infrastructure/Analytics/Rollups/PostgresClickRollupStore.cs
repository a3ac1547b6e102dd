using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace LinkTracking.Infrastructure.Analytics.Rollups;

/// <summary>
/// PostgreSQL: one round trip per delta — an <c>INSERT … SELECT FROM unnest(…) ON CONFLICT DO UPDATE</c> per table
/// (rows in key order, so concurrent batches lock them in the same order), and, when the delta takes clicks away,
/// a <c>DELETE</c> of the rows that reached zero.
/// </summary>
public sealed class PostgresClickRollupStore : IClickRollupStore
{
    private const string UpsertRollups = """
        INSERT INTO link_click_rollups AS r (tracking_id, hour, dimension, value, human_clicks, bot_clicks)
        SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::int[], $6::int[])
        ON CONFLICT (tracking_id, hour, dimension, value) DO UPDATE
        SET human_clicks = r.human_clicks + excluded.human_clicks, bot_clicks = r.bot_clicks + excluded.bot_clicks
        """;

    private const string DeleteEmptyRollups = """
        DELETE FROM link_click_rollups r
        USING unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[]) AS k(tracking_id, hour, dimension, value)
        WHERE r.tracking_id = k.tracking_id AND r.hour = k.hour AND r.dimension = k.dimension AND r.value = k.value
          AND r.human_clicks = 0 AND r.bot_clicks = 0
        """;

    private const string UpsertUniques = """
        INSERT INTO link_click_uniques AS u (tracking_id, hour, kind, key, human_clicks, bot_clicks)
        SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::int[], $6::int[])
        ON CONFLICT (tracking_id, hour, kind, key) DO UPDATE
        SET human_clicks = u.human_clicks + excluded.human_clicks, bot_clicks = u.bot_clicks + excluded.bot_clicks
        """;

    private const string DeleteEmptyUniques = """
        DELETE FROM link_click_uniques u
        USING unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[]) AS k(tracking_id, hour, kind, key)
        WHERE u.tracking_id = k.tracking_id AND u.hour = k.hour AND u.kind = k.kind AND u.key = k.key
          AND u.human_clicks = 0 AND u.bot_clicks = 0
        """;

    /// <summary>Hours are cut in UTC whatever the session's TimeZone.</summary>
    private const string HourOfClick = "date_trunc('hour', c.clicked_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'";

    /// <summary>
    /// The rebuild, also run once by the migration that creates the tables. It ends with <c>ANALYZE</c>: after a
    /// <c>TRUNCATE</c> and a bulk insert the planner's statistics still describe empty tables until autovacuum comes by.
    /// </summary>
    public const string RebuildSql = $"""
        LOCK TABLE link_clicks IN SHARE MODE;
        TRUNCATE link_click_rollups, link_click_uniques;
        INSERT INTO link_click_rollups (tracking_id, hour, dimension, value, human_clicks, bot_clicks)
        SELECT c.tracking_id, {HourOfClick}, d.dimension, d.value,
               count(*) FILTER (WHERE NOT c.is_bot), count(*) FILTER (WHERE c.is_bot)
        FROM link_clicks c
        CROSS JOIN LATERAL (VALUES ('source', c.click_source), ('category', c.bot_category),
                                   ('country', coalesce(c.country, '')), ('device', coalesce(c.device_type, '')),
                                   ('browser', coalesce(c.browser, '')), ('os', coalesce(c.os, ''))) AS d(dimension, value)
        GROUP BY 1, 2, 3, 4;
        INSERT INTO link_click_uniques (tracking_id, hour, kind, key, human_clicks, bot_clicks)
        SELECT c.tracking_id, {HourOfClick}, d.kind, d.key,
               count(*) FILTER (WHERE NOT c.is_bot), count(*) FILTER (WHERE c.is_bot)
        FROM link_clicks c
        CROSS JOIN LATERAL (VALUES ('s', c.session_id), ('i', host(c.ip_address))) AS d(kind, key)
        WHERE d.key IS NOT NULL
        GROUP BY 1, 2, 3, 4;
        ANALYZE link_click_rollups, link_click_uniques;
        SELECT count(*) FROM link_clicks;
        """;

    public async Task ApplyAsync(DbConnection connection, DbTransaction transaction, ClickRollupDelta delta, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delta);
        var rollups = delta.Rollups();
        var uniques = delta.Uniques();
        if (rollups.Count == 0 && uniques.Count == 0)
        {
            return;
        }

        await using var batch = new NpgsqlBatch((NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        if (rollups.Count > 0)
        {
            batch.BatchCommands.Add(Command(UpsertRollups, rollups.ToList(), counts: true));
            var emptied = rollups.Where(r => r.HumanClicks < 0 || r.BotClicks < 0).ToList();
            if (emptied.Count > 0)
            {
                batch.BatchCommands.Add(Command(DeleteEmptyRollups, emptied, counts: false));
            }
        }

        if (uniques.Count > 0)
        {
            batch.BatchCommands.Add(Command(UpsertUniques, uniques.ToList(), counts: true));
            var emptied = uniques.Where(u => u.HumanClicks < 0 || u.BotClicks < 0).ToList();
            if (emptied.Count > 0)
            {
                batch.BatchCommands.Add(Command(DeleteEmptyUniques, emptied, counts: false));
            }
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<long> RebuildAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var npgsql = (NpgsqlConnection)connection;
        await using var transaction = await npgsql.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(RebuildSql, npgsql, transaction) { CommandTimeout = 0 };
        var clicks = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return clicks;
    }

    private static NpgsqlBatchCommand Command(string sql, IReadOnlyList<RollupChange> rows, bool counts)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.TrackingId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Hour).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Name).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        if (counts)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.HumanClicks).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
            command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.BotClicks).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        }

        return command;
    }
}
