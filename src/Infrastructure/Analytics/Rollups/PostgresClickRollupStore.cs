using System.Data.Common;
using System.IO.Hashing;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace LinkTracking.Infrastructure.Analytics.Rollups;

/// <summary>
/// PostgreSQL: two round trips per delta. The first takes a transaction-level advisory lock per changed session and
/// address (so writers on several nodes never read a key's presence at once), and reads the keys' stored rows and
/// their links; the second is an <c>INSERT … SELECT FROM unnest(…) ON CONFLICT DO UPDATE</c> per table (rows in key
/// order, so concurrent batches lock them in the same order), and, when the delta takes clicks away, a <c>DELETE</c>
/// of the rows that reached zero.
/// </summary>
public sealed class PostgresClickRollupStore : IClickRollupStore
{
    /// <summary>
    /// Locks the keys: advisory locks whose first key is "LTKY" (0x4C544B59) and second the key's hash, taken in
    /// ascending order so that two writers never wait for each other in a cycle.
    /// </summary>
    private const string LockKeys = "SELECT count(pg_advisory_xact_lock(1280592729, k)) FROM unnest($1::int[]) AS k";

    /// <summary>Every stored row of the sessions, across links, with the facts of each row's link.</summary>
    private const string ReadSessions = """
        SELECT u.tracking_id, u.hour, u.kind, u.key, u.human_clicks, u.bot_clicks, l.job_id, l.application_id, l.link_function
        FROM unnest($1::text[]) AS k(key)
        JOIN link_click_uniques u ON u.kind = 's' AND u.key = k.key
        LEFT JOIN link_tracking l ON l.tracking_id = u.tracking_id
        """;

    /// <summary>The stored rows of the addresses on the links they changed on (addresses are counted per link only).</summary>
    private const string ReadAddresses = """
        SELECT u.tracking_id, u.hour, u.kind, u.key, u.human_clicks, u.bot_clicks, NULL::uuid, NULL::uuid, NULL::text
        FROM unnest($1::text[], $2::text[]) AS k(key, tracking_id)
        JOIN link_click_uniques u ON u.kind = 'i' AND u.key = k.key AND u.tracking_id = k.tracking_id
        """;

    private const string ReadLinks = "SELECT tracking_id, job_id, application_id, link_function FROM link_tracking WHERE tracking_id = ANY($1)";

    private const string UpsertScopeRollups = """
        INSERT INTO link_click_scope_rollups AS r (scope, hour, dimension, value, human_clicks, bot_clicks)
        SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::int[], $6::int[])
        ON CONFLICT (scope, dimension, hour, value) DO UPDATE
        SET human_clicks = r.human_clicks + excluded.human_clicks, bot_clicks = r.bot_clicks + excluded.bot_clicks
        """;

    private const string DeleteEmptyScopeRollups = """
        DELETE FROM link_click_scope_rollups r
        USING unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[]) AS k(scope, hour, dimension, value)
        WHERE r.scope = k.scope AND r.hour = k.hour AND r.dimension = k.dimension AND r.value = k.value
          AND r.human_clicks = 0 AND r.bot_clicks = 0
        """;

    private const string UpsertDailyRollups = """
        INSERT INTO link_click_daily_rollups AS r (scope, day, dimension, value, human_clicks, bot_clicks)
        SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::int[], $6::int[])
        ON CONFLICT (scope, dimension, day, value) DO UPDATE
        SET human_clicks = r.human_clicks + excluded.human_clicks, bot_clicks = r.bot_clicks + excluded.bot_clicks
        """;

    private const string DeleteEmptyDailyRollups = """
        DELETE FROM link_click_daily_rollups r
        USING unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[]) AS k(scope, day, dimension, value)
        WHERE r.scope = k.scope AND r.day = k.day AND r.dimension = k.dimension AND r.value = k.value
          AND r.human_clicks = 0 AND r.bot_clicks = 0
        """;

    private const string UpsertHistogram = """
        INSERT INTO link_click_key_histogram AS h (scope, kind, hour, gap, human_keys, all_keys)
        SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[], $5::int[], $6::int[])
        ON CONFLICT (scope, kind, hour, gap) DO UPDATE
        SET human_keys = h.human_keys + excluded.human_keys, all_keys = h.all_keys + excluded.all_keys
        """;

    private const string DeleteEmptyHistogram = """
        DELETE FROM link_click_key_histogram h
        USING unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[]) AS k(scope, kind, hour, gap)
        WHERE h.scope = k.scope AND h.kind = k.kind AND h.hour = k.hour AND h.gap = k.gap
          AND h.human_keys = 0 AND h.all_keys = 0
        """;

    private const string UpsertRollups = """
        INSERT INTO link_click_rollups AS r (tracking_id, hour, dimension, value, human_clicks, bot_clicks)
        SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::int[], $6::int[])
        ON CONFLICT (tracking_id, dimension, hour, value) DO UPDATE
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

    /// <summary>
    /// The last hours of the links changed (<see cref="LastHours"/>): those that gained clicks move up to the change's,
    /// those to recount keep theirs. Every changed link's row is locked here, in the links' order, before
    /// <see cref="RecountLastHours"/> reads the rollups in a statement of its own, so it sees the clicks of every
    /// writer that locked the row first, and a writer that comes later adds its hours to the recounted ones.
    /// </summary>
    private const string UpsertLastHours = """
        INSERT INTO link_click_last_hours AS l (tracking_id, last_human_hour, last_hour)
        SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[])
        ON CONFLICT (tracking_id) DO UPDATE
        SET last_human_hour = greatest(l.last_human_hour, excluded.last_human_hour), last_hour = greatest(l.last_hour, excluded.last_hour)
        """;

    /// <summary>The last hours of the links that lost clicks, from their rollups (a backward index probe each).</summary>
    private const string RecountLastHours = """
        UPDATE link_click_last_hours l
        SET last_human_hour = (SELECT max(r.hour) FROM link_click_rollups r
                               WHERE r.tracking_id = l.tracking_id AND r.dimension = 'category' AND r.human_clicks > 0),
            last_hour = (SELECT max(r.hour) FROM link_click_rollups r WHERE r.tracking_id = l.tracking_id AND r.dimension = 'category')
        WHERE l.tracking_id = ANY($1)
        """;

    /// <summary>A recounted link with no click left loses its row.</summary>
    private const string DeleteEmptyLastHours = "DELETE FROM link_click_last_hours WHERE tracking_id = ANY($1) AND last_hour IS NULL";

    /// <summary>
    /// <see cref="ClickLastHours"/> from <c>link_click_rollups</c> (independent of <see cref="LastHours"/>). Also run by
    /// the migration that creates the table.
    /// </summary>
    public const string LastHoursRebuildSql = """
        INSERT INTO link_click_last_hours (tracking_id, last_human_hour, last_hour)
        SELECT tracking_id, max(hour) FILTER (WHERE human_clicks > 0), max(hour)
        FROM link_click_rollups
        WHERE dimension = 'category'
        GROUP BY tracking_id;
        """;

    /// <summary>Hours are cut in UTC whatever the session's TimeZone.</summary>
    private const string HourOfClick = "date_trunc('hour', c.clicked_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'";

    /// <summary>
    /// <see cref="ClickKeyHistogram"/> from <c>link_click_uniques</c> (independent of <see cref="ClickKeyHistogramDelta"/>):
    /// each key's latest hour per scope by <c>max</c>, and, for the scopes that keep gaps (a link's and all links'
    /// sessions), each presence's previous hour by <c>lag</c>; counted over all clicks and again over human clicks only.
    /// Also run by the migration that creates the table.
    /// </summary>
    public const string HistogramRebuildSql = """
        INSERT INTO link_click_key_histogram (scope, kind, hour, gap, human_keys, all_keys)
        WITH scoped AS (
            SELECT s.scope, u.kind, u.key, u.hour, u.human_clicks > 0 AS human
            FROM link_click_uniques u
            LEFT JOIN link_tracking l ON l.tracking_id = u.tracking_id
            CROSS JOIN LATERAL (SELECT u.kind = 's' AND l.link_function <> 'Decoy' AS shared) AS x
            CROSS JOIN LATERAL (VALUES
                ('l:' || u.tracking_id),
                (CASE WHEN x.shared THEN '*' END),
                (CASE WHEN x.shared THEN '*/' || l.link_function END),
                (CASE WHEN x.shared THEN 'j:' || l.job_id END),
                (CASE WHEN x.shared THEN 'j:' || l.job_id || '/' || l.link_function END),
                (CASE WHEN x.shared THEN 'a:' || l.application_id END),
                (CASE WHEN x.shared THEN 'a:' || l.application_id || '/' || l.link_function END)) AS s(scope)
            WHERE s.scope IS NOT NULL AND (u.human_clicks > 0 OR u.bot_clicks > 0)),
        latest AS (
            SELECT scope, kind, max(hour) AS any_hour, max(hour) FILTER (WHERE human) AS human_hour
            FROM scoped
            GROUP BY scope, kind, key)
        SELECT scope, kind, hour, 0, sum(human), sum(1 - human)
        FROM (SELECT scope, kind, any_hour AS hour, 0 AS human FROM latest
              UNION ALL
              SELECT scope, kind, human_hour, 1 FROM latest WHERE human_hour IS NOT NULL) AS l
        GROUP BY 1, 2, 3;

        INSERT INTO link_click_key_histogram (scope, kind, hour, gap, human_keys, all_keys)
        WITH presence AS (
            SELECT 'l:' || u.tracking_id AS scope, u.key, u.hour, u.human_clicks > 0 AS human
            FROM link_click_uniques u
            WHERE u.kind = 's' AND (u.human_clicks > 0 OR u.bot_clicks > 0)
            UNION ALL
            SELECT '*', u.key, u.hour, bool_or(u.human_clicks > 0)
            FROM link_click_uniques u
            JOIN link_tracking l ON l.tracking_id = u.tracking_id AND l.link_function <> 'Decoy'
            WHERE u.kind = 's' AND (u.human_clicks > 0 OR u.bot_clicks > 0)
            GROUP BY u.key, u.hour),
        chains AS (
            SELECT scope, hour, 0 AS human, hour - lag(hour) OVER (PARTITION BY scope, key ORDER BY hour) AS since
            FROM presence
            UNION ALL
            SELECT scope, hour, 1, hour - lag(hour) OVER (PARTITION BY scope, key ORDER BY hour)
            FROM presence WHERE human)
        SELECT scope, 's', hour,
               CASE WHEN since IS NULL OR since >= interval '25 hours' THEN 25 ELSE (extract(epoch FROM since) / 3600)::int END,
               sum(human), sum(1 - human)
        FROM chains
        GROUP BY 1, 2, 3, 4;
        """;

    /// <summary>
    /// The UTC days' rows of <see cref="ClickKeyHistogram"/> (<see cref="DistinctScopes.UtcDay"/>) from its gap rows:
    /// each day's sum of the rows whose gap exceeds their hour's offset into the day. Also run by the migration that
    /// adds them.
    /// </summary>
    public const string DayKeysRebuildSql = """
        INSERT INTO link_click_key_histogram (scope, kind, hour, gap, human_keys, all_keys)
        SELECT scope, kind, day, -1, sum(human_keys), sum(all_keys)
        FROM (SELECT h.*, date_trunc('day', h.hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day FROM link_click_key_histogram h) AS h
        WHERE gap > extract(epoch FROM hour - day) / 3600
        GROUP BY scope, kind, day;
        """;

    /// <summary>
    /// The rollups and uniques from the raw clicks, also run once by the migration that creates the tables. It ends
    /// with <c>ANALYZE</c>: after a <c>TRUNCATE</c> and a bulk insert the planner's statistics still describe empty
    /// tables until autovacuum comes by.
    /// </summary>
    public const string RollupsRebuildSql = $"""
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
        """;

    /// <summary>
    /// <see cref="ClickScopeRollup"/> from <c>link_click_rollups</c> by a join on the links (independent of
    /// <see cref="RollupScopes"/>). Also run by the migration that creates the table.
    /// </summary>
    public const string ScopeRollupsRebuildSql = """
        INSERT INTO link_click_scope_rollups (scope, hour, dimension, value, human_clicks, bot_clicks)
        SELECT s.scope, r.hour, r.dimension, r.value, sum(r.human_clicks), sum(r.bot_clicks)
        FROM link_click_rollups r
        JOIN link_tracking l ON l.tracking_id = r.tracking_id AND l.link_function <> 'Decoy'
        CROSS JOIN LATERAL (VALUES
            ('*', true),
            ('j:' || l.job_id, true),
            ('a:' || l.application_id, true),
            ('*/' || l.link_function, false),
            ('j:' || l.job_id || '/' || l.link_function, false),
            ('a:' || l.application_id || '/' || l.link_function, false)) AS s(scope, all_dimensions)
        WHERE s.scope IS NOT NULL AND (s.all_dimensions OR r.dimension = 'category')
        GROUP BY 1, 2, 3, 4;
        """;

    /// <summary>
    /// <see cref="ClickDailyRollup"/> from <c>link_click_rollups</c> and <c>link_click_scope_rollups</c> (independent of
    /// <see cref="DailyRollups"/>). Also run by the migration that creates the table.
    /// </summary>
    public const string DailyRollupsRebuildSql = """
        INSERT INTO link_click_daily_rollups (scope, day, dimension, value, human_clicks, bot_clicks)
        SELECT 'l:' || tracking_id, date_trunc('day', hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', dimension, value,
               sum(human_clicks), sum(bot_clicks)
        FROM link_click_rollups
        GROUP BY 1, 2, 3, 4;
        INSERT INTO link_click_daily_rollups (scope, day, dimension, value, human_clicks, bot_clicks)
        SELECT scope, date_trunc('day', hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', dimension, value,
               sum(human_clicks), sum(bot_clicks)
        FROM link_click_scope_rollups
        GROUP BY 1, 2, 3, 4;
        """;

    /// <summary>
    /// The whole rebuild: rollups and uniques from the clicks, then the scope rollups, the daily rollups and the
    /// histogram from them, the histogram's days from its gaps, and the links' last hours. The histogram's window
    /// functions sort every key's hours per scope: more memory than a query's default keeps those sorts off the disk.
    /// </summary>
    public const string RebuildSql = $"""
        SET LOCAL work_mem = '256MB';
        {RollupsRebuildSql}
        TRUNCATE link_click_scope_rollups, link_click_daily_rollups, link_click_key_histogram, link_click_last_hours;
        {ScopeRollupsRebuildSql}
        {DailyRollupsRebuildSql}
        {HistogramRebuildSql}
        {DayKeysRebuildSql}
        {LastHoursRebuildSql}
        ANALYZE link_click_scope_rollups, link_click_daily_rollups, link_click_key_histogram, link_click_last_hours;
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

        var npgsql = (NpgsqlConnection)connection;
        var npgsqlTransaction = (NpgsqlTransaction)transaction;
        var (stored, links) = await ReadAsync(npgsql, npgsqlTransaction, rollups, uniques, cancellationToken);
        var histogram = uniques.Count == 0 ? [] : ClickKeyHistogramDelta.Of(stored, uniques, links).Rows();
        var scopeRollups = RollupScopes.Of(rollups, links);
        var dailyRollups = DailyRollups.Of(rollups, scopeRollups);
        await using var batch = new NpgsqlBatch(npgsql, npgsqlTransaction);
        AddChanges(batch, UpsertRollups, DeleteEmptyRollups, rollups.Select(CountsRow.Of).ToList());
        AddChanges(batch, UpsertUniques, DeleteEmptyUniques, uniques.Select(CountsRow.Of).ToList());
        AddChanges(batch, UpsertScopeRollups, DeleteEmptyScopeRollups, scopeRollups.Select(CountsRow.Of).ToList());
        AddChanges(batch, UpsertDailyRollups, DeleteEmptyDailyRollups, dailyRollups.Select(CountsRow.Of).ToList());
        if (histogram.Count > 0)
        {
            batch.BatchCommands.Add(HistogramCommand(UpsertHistogram, histogram, counts: true));
            var emptied = histogram.Where(h => h.HumanKeys < 0 || h.AllKeys < 0).ToList();
            if (emptied.Count > 0)
            {
                batch.BatchCommands.Add(HistogramCommand(DeleteEmptyHistogram, emptied, counts: false));
            }
        }

        var lastHours = LastHours.Of(rollups);
        if (lastHours.Count > 0)
        {
            batch.BatchCommands.Add(Parameters(
                new NpgsqlBatchCommand(UpsertLastHours),
                (lastHours.Select(l => l.TrackingId).ToArray(), NpgsqlDbType.Text),
                (lastHours.Select(l => l.LastHumanHour).ToArray(), NpgsqlDbType.TimestampTz),
                (lastHours.Select(l => l.LastHour).ToArray(), NpgsqlDbType.TimestampTz)));
            var recount = lastHours.Where(l => l.Recount).Select(l => l.TrackingId).ToArray();
            if (recount.Length > 0)
            {
                batch.BatchCommands.Add(Parameters(new NpgsqlBatchCommand(RecountLastHours), (recount, NpgsqlDbType.Text)));
                batch.BatchCommands.Add(Parameters(new NpgsqlBatchCommand(DeleteEmptyLastHours), (recount, NpgsqlDbType.Text)));
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

    /// <summary>The upsert of the changed rows of one table and, when some take clicks away, the delete of those that reached zero.</summary>
    private static void AddChanges(NpgsqlBatch batch, string upsert, string deleteEmpty, List<CountsRow> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        batch.BatchCommands.Add(Command(upsert, rows, counts: true));
        var emptied = rows.Where(r => r.Subtracts).ToList();
        if (emptied.Count > 0)
        {
            batch.BatchCommands.Add(Command(deleteEmpty, emptied, counts: false));
        }
    }

    private static NpgsqlBatchCommand Command(string sql, List<CountsRow> rows, bool counts)
    {
        var command = Parameters(
            new NpgsqlBatchCommand(sql),
            (rows.Select(r => r.Owner).ToArray(), NpgsqlDbType.Text),
            (rows.Select(r => r.Time).ToArray(), NpgsqlDbType.TimestampTz),
            (rows.Select(r => r.Name).ToArray(), NpgsqlDbType.Text),
            (rows.Select(r => r.Value).ToArray(), NpgsqlDbType.Text));
        return counts
            ? Parameters(command, (rows.Select(r => r.Human).ToArray(), NpgsqlDbType.Integer), (rows.Select(r => r.Bot).ToArray(), NpgsqlDbType.Integer))
            : command;
    }

    /// <summary>Locks the changed keys, reads what is stored of them, and the facts of the links changed.</summary>
    private static async Task<(List<UniqueRow> Stored, Dictionary<string, LinkFacts> Links)> ReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<RollupChange> rollups, IReadOnlyList<RollupChange> uniques, CancellationToken cancellationToken)
    {
        var sessions = uniques.Where(u => u.Name == RollupDimensions.SessionKind).Select(u => u.Value).Distinct(StringComparer.Ordinal).ToArray();
        var addresses = uniques.Where(u => u.Name == RollupDimensions.IpKind).Select(u => (u.Value, u.TrackingId)).Distinct().ToArray();
        var locks = uniques.Select(u => KeyLock(u.Name, u.Value)).Distinct().Order().ToArray();
        var changedLinks = rollups.Concat(uniques).Select(u => u.TrackingId).Distinct(StringComparer.Ordinal).ToArray();

        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(Parameters(new NpgsqlBatchCommand(LockKeys), (locks, NpgsqlDbType.Integer)));
        batch.BatchCommands.Add(Parameters(new NpgsqlBatchCommand(ReadSessions), (sessions, NpgsqlDbType.Text)));
        batch.BatchCommands.Add(Parameters(
            new NpgsqlBatchCommand(ReadAddresses),
            (addresses.Select(a => a.Value).ToArray(), NpgsqlDbType.Text),
            (addresses.Select(a => a.TrackingId).ToArray(), NpgsqlDbType.Text)));
        batch.BatchCommands.Add(Parameters(new NpgsqlBatchCommand(ReadLinks), (changedLinks, NpgsqlDbType.Text)));

        var stored = new List<UniqueRow>();
        var links = new Dictionary<string, LinkFacts>(StringComparer.Ordinal);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        for (var result = 0; result < 2; result++)
        {
            await reader.NextResultAsync(cancellationToken); // past the locks, then past the sessions
            while (await reader.ReadAsync(cancellationToken))
            {
                var trackingId = reader.GetString(0);
                stored.Add(new UniqueRow(trackingId, reader.GetDateTime(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4), reader.GetInt32(5)));
                if (!reader.IsDBNull(8))
                {
                    links[trackingId] = Facts(reader, trackingId, 6);
                }
            }
        }

        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var trackingId = reader.GetString(0);
            links[trackingId] = Facts(reader, trackingId, 1);
        }

        return (stored, links);
    }

    private static LinkFacts Facts(NpgsqlDataReader reader, string trackingId, int first) => new(
        trackingId,
        reader.IsDBNull(first) ? null : reader.GetGuid(first),
        reader.IsDBNull(first + 1) ? null : reader.GetGuid(first + 1),
        reader.GetString(first + 2));

    /// <summary>A key's lock: a hash of kind and key that every node computes alike.</summary>
    private static int KeyLock(string kind, string key) =>
        (int)XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(kind + ":" + key));

    private static NpgsqlBatchCommand Parameters(NpgsqlBatchCommand command, params (Array Values, NpgsqlDbType Type)[] arrays)
    {
        foreach (var (values, type) in arrays)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = values, NpgsqlDbType = NpgsqlDbType.Array | type });
        }

        return command;
    }

    private static NpgsqlBatchCommand HistogramCommand(string sql, IReadOnlyList<ClickKeyHistogram> rows, bool counts)
    {
        var command = Parameters(
            new NpgsqlBatchCommand(sql),
            (rows.Select(r => r.Scope).ToArray(), NpgsqlDbType.Text),
            (rows.Select(r => r.Kind).ToArray(), NpgsqlDbType.Text),
            (rows.Select(r => r.Hour).ToArray(), NpgsqlDbType.TimestampTz),
            (rows.Select(r => r.Gap).ToArray(), NpgsqlDbType.Integer));
        return counts
            ? Parameters(command, (rows.Select(r => r.HumanKeys).ToArray(), NpgsqlDbType.Integer), (rows.Select(r => r.AllKeys).ToArray(), NpgsqlDbType.Integer))
            : command;
    }
}
