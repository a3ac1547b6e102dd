using System.Data.Common;
using System.Globalization;
using LinkTracking.Infrastructure.Clicks;
using Microsoft.Data.Sqlite;

namespace LinkTracking.Infrastructure.Analytics.Rollups;

/// <summary>
/// SQLite: a prepared <c>INSERT … ON CONFLICT DO UPDATE</c> per changed row (SQLite runs in-process, so many small
/// statements cost no round trips), then a <c>DELETE</c> of the rows a negative delta brought to zero; the changed
/// keys' stored rows are read first, a prepared query per key (SQLite has one writer, so no key needs a lock). Hours
/// are stored as EF Core's SQLite provider writes times (<see cref="SqliteClickBatchWriter.FormatTime"/>).
/// </summary>
public sealed class SqliteClickRollupStore : IClickRollupStore
{
    private const string UpsertRollup = """
        INSERT INTO link_click_rollups (tracking_id, hour, dimension, value, human_clicks, bot_clicks)
        VALUES ($owner, $hour, $name, $value, $human, $bot)
        ON CONFLICT (tracking_id, dimension, hour, value) DO UPDATE
        SET human_clicks = human_clicks + excluded.human_clicks, bot_clicks = bot_clicks + excluded.bot_clicks;
        DELETE FROM link_click_rollups
        WHERE ($human < 0 OR $bot < 0) AND tracking_id = $owner AND hour = $hour AND dimension = $name AND value = $value
          AND human_clicks = 0 AND bot_clicks = 0;
        """;

    private const string UpsertUnique = """
        INSERT INTO link_click_uniques (tracking_id, hour, kind, key, human_clicks, bot_clicks)
        VALUES ($owner, $hour, $name, $value, $human, $bot)
        ON CONFLICT (tracking_id, hour, kind, key) DO UPDATE
        SET human_clicks = human_clicks + excluded.human_clicks, bot_clicks = bot_clicks + excluded.bot_clicks;
        DELETE FROM link_click_uniques
        WHERE ($human < 0 OR $bot < 0) AND tracking_id = $owner AND hour = $hour AND kind = $name AND key = $value
          AND human_clicks = 0 AND bot_clicks = 0;
        """;

    /// <summary>The scope's rollup row; run by <see cref="ApplyRowsAsync"/>, whose <c>$owner</c> carries the scope.</summary>
    private const string UpsertScopeRollup = """
        INSERT INTO link_click_scope_rollups (scope, hour, dimension, value, human_clicks, bot_clicks)
        VALUES ($owner, $hour, $name, $value, $human, $bot)
        ON CONFLICT (scope, dimension, hour, value) DO UPDATE
        SET human_clicks = human_clicks + excluded.human_clicks, bot_clicks = bot_clicks + excluded.bot_clicks;
        DELETE FROM link_click_scope_rollups
        WHERE ($human < 0 OR $bot < 0) AND scope = $owner AND hour = $hour AND dimension = $name AND value = $value
          AND human_clicks = 0 AND bot_clicks = 0;
        """;

    /// <summary>The scope's daily row; run by <see cref="ApplyRowsAsync"/>, whose <c>$owner</c> carries the scope and <c>$hour</c> the day.</summary>
    private const string UpsertDailyRollup = """
        INSERT INTO link_click_daily_rollups (scope, day, dimension, value, human_clicks, bot_clicks)
        VALUES ($owner, $hour, $name, $value, $human, $bot)
        ON CONFLICT (scope, dimension, day, value) DO UPDATE
        SET human_clicks = human_clicks + excluded.human_clicks, bot_clicks = bot_clicks + excluded.bot_clicks;
        DELETE FROM link_click_daily_rollups
        WHERE ($human < 0 OR $bot < 0) AND scope = $owner AND day = $hour AND dimension = $name AND value = $value
          AND human_clicks = 0 AND bot_clicks = 0;
        """;

    /// <summary>
    /// <see cref="ClickDailyRollup"/> from <c>link_click_rollups</c> and <c>link_click_scope_rollups</c>; the same as
    /// <see cref="PostgresClickRollupStore.DailyRollupsRebuildSql"/>. Hours are stored as text, so the day is its date.
    /// </summary>
    public const string DailyRollupsRebuildSql = """
        INSERT INTO link_click_daily_rollups (scope, day, dimension, value, human_clicks, bot_clicks)
        SELECT 'l:' || tracking_id, substr(hour, 1, 10) || ' 00:00:00', dimension, value, sum(human_clicks), sum(bot_clicks)
        FROM link_click_rollups
        GROUP BY 1, 2, 3, 4;
        INSERT INTO link_click_daily_rollups (scope, day, dimension, value, human_clicks, bot_clicks)
        SELECT scope, substr(hour, 1, 10) || ' 00:00:00', dimension, value, sum(human_clicks), sum(bot_clicks)
        FROM link_click_scope_rollups
        GROUP BY 1, 2, 3, 4;
        """;

    /// <summary><see cref="ClickScopeRollup"/> from <c>link_click_rollups</c>; the same as <see cref="PostgresClickRollupStore.ScopeRollupsRebuildSql"/>.</summary>
    public const string ScopeRollupsRebuildSql = """
        INSERT INTO link_click_scope_rollups (scope, hour, dimension, value, human_clicks, bot_clicks)
        SELECT scope, hour, dimension, value, sum(human_clicks), sum(bot_clicks)
        FROM (
            SELECT CASE s.n
                       WHEN 0 THEN '*'
                       WHEN 1 THEN 'j:' || lower(l.job_id)
                       WHEN 2 THEN 'a:' || lower(l.application_id)
                       WHEN 3 THEN '*/' || l.link_function
                       WHEN 4 THEN 'j:' || lower(l.job_id) || '/' || l.link_function
                       ELSE 'a:' || lower(l.application_id) || '/' || l.link_function END AS scope,
                   r.hour, r.dimension, r.value, r.human_clicks, r.bot_clicks
            FROM link_click_rollups r
            JOIN link_tracking l ON l.tracking_id = r.tracking_id AND l.link_function <> 'Decoy'
            CROSS JOIN (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5) AS s
            WHERE s.n < 3 OR r.dimension = 'category')
        WHERE scope IS NOT NULL
        GROUP BY 1, 2, 3, 4;
        """;

    private const string UpsertHistogram = """
        INSERT INTO link_click_key_histogram (scope, kind, hour, gap, human_keys, all_keys)
        VALUES ($scope, $kind, $hour, $gap, $human, $all)
        ON CONFLICT (scope, kind, hour, gap) DO UPDATE
        SET human_keys = human_keys + excluded.human_keys, all_keys = all_keys + excluded.all_keys;
        DELETE FROM link_click_key_histogram
        WHERE ($human < 0 OR $all < 0) AND scope = $scope AND kind = $kind AND hour = $hour AND gap = $gap
          AND human_keys = 0 AND all_keys = 0;
        """;

    /// <summary>A link that gained clicks: its last hours move up to the change's (<see cref="LastHours"/>).</summary>
    private const string UpsertLastHours = """
        INSERT INTO link_click_last_hours (tracking_id, last_human_hour, last_hour)
        VALUES ($tracking_id, $human_hour, $hour)
        ON CONFLICT (tracking_id) DO UPDATE
        SET last_human_hour = CASE WHEN last_human_hour IS NULL OR excluded.last_human_hour > last_human_hour
                                   THEN excluded.last_human_hour ELSE last_human_hour END,
            last_hour = CASE WHEN last_hour IS NULL OR excluded.last_hour > last_hour THEN excluded.last_hour ELSE last_hour END;
        """;

    /// <summary>A link that lost clicks: its last hours from its rollups (backward index probes); with none left, no row.</summary>
    private const string RecountLastHours = """
        INSERT INTO link_click_last_hours (tracking_id, last_human_hour, last_hour)
        VALUES ($tracking_id,
                (SELECT hour FROM link_click_rollups WHERE tracking_id = $tracking_id AND dimension = 'category' AND human_clicks > 0
                 ORDER BY hour DESC LIMIT 1),
                (SELECT max(hour) FROM link_click_rollups WHERE tracking_id = $tracking_id AND dimension = 'category'))
        ON CONFLICT (tracking_id) DO UPDATE
        SET last_human_hour = excluded.last_human_hour, last_hour = excluded.last_hour;
        DELETE FROM link_click_last_hours WHERE tracking_id = $tracking_id AND last_hour IS NULL;
        """;

    /// <summary><see cref="ClickLastHours"/> from <c>link_click_rollups</c>; the same as <see cref="PostgresClickRollupStore.LastHoursRebuildSql"/>.</summary>
    public const string LastHoursRebuildSql = """
        INSERT INTO link_click_last_hours (tracking_id, last_human_hour, last_hour)
        SELECT tracking_id, max(CASE WHEN human_clicks > 0 THEN hour END), max(hour)
        FROM link_click_rollups
        WHERE dimension = 'category'
        GROUP BY tracking_id;
        """;

    private const string ReadSession = """
        SELECT u.tracking_id, u.hour, u.kind, u.key, u.human_clicks, u.bot_clicks, l.job_id, l.application_id, l.link_function
        FROM link_click_uniques u
        LEFT JOIN link_tracking l ON l.tracking_id = u.tracking_id
        WHERE u.kind = 's' AND u.key = $key
        """;

    private const string ReadAddress = """
        SELECT tracking_id, hour, kind, key, human_clicks, bot_clicks, NULL, NULL, NULL
        FROM link_click_uniques
        WHERE kind = 'i' AND key = $key AND tracking_id = $tracking_id
        """;

    private const string ReadLink = "SELECT job_id, application_id, link_function FROM link_tracking WHERE tracking_id = $tracking_id";

    /// <summary>
    /// <see cref="ClickKeyHistogram"/> from <c>link_click_uniques</c> by window functions (independent of
    /// <see cref="ClickKeyHistogramDelta"/>): every scope's presences through <c>lag</c> and <c>lead</c>. The rows equal
    /// those of <see cref="PostgresClickRollupStore.HistogramRebuildSql"/>, which takes the cheaper <c>max</c> where no
    /// gaps are kept; SQLite's installs are small.
    /// </summary>
    public const string HistogramRebuildSql = """
        INSERT INTO link_click_key_histogram (scope, kind, hour, gap, human_keys, all_keys)
        WITH u AS (
            SELECT u.tracking_id, u.kind, u.key, u.hour, u.human_clicks > 0 AS human, l.job_id, l.application_id, l.link_function,
                   u.kind = 's' AND l.link_function <> 'Decoy' AS shared
            FROM link_click_uniques u
            LEFT JOIN link_tracking l ON l.tracking_id = u.tracking_id
            WHERE u.human_clicks > 0 OR u.bot_clicks > 0),
        scoped AS (
            SELECT 'l:' || tracking_id AS scope, kind = 's' AS gaps, kind, key, hour, human FROM u
            UNION ALL SELECT '*', 1, kind, key, hour, human FROM u WHERE shared
            UNION ALL SELECT '*/' || link_function, 0, kind, key, hour, human FROM u WHERE shared
            UNION ALL SELECT 'j:' || lower(job_id), 0, kind, key, hour, human FROM u WHERE shared AND job_id IS NOT NULL
            UNION ALL SELECT 'j:' || lower(job_id) || '/' || link_function, 0, kind, key, hour, human FROM u WHERE shared AND job_id IS NOT NULL
            UNION ALL SELECT 'a:' || lower(application_id), 0, kind, key, hour, human FROM u WHERE shared AND application_id IS NOT NULL
            UNION ALL SELECT 'a:' || lower(application_id) || '/' || link_function, 0, kind, key, hour, human FROM u WHERE shared AND application_id IS NOT NULL),
        presence AS (
            SELECT scope, gaps, kind, key, hour, max(human) AS human FROM scoped GROUP BY scope, gaps, kind, key, hour),
        chains AS (
            SELECT scope, gaps, kind, hour, 0 AS human_chain, lag(hour) OVER w AS previous, lead(hour) OVER w IS NULL AS latest
            FROM presence WINDOW w AS (PARTITION BY scope, kind, key ORDER BY hour)
            UNION ALL
            SELECT scope, gaps, kind, hour, 1, lag(hour) OVER w, lead(hour) OVER w IS NULL
            FROM presence WHERE human WINDOW w AS (PARTITION BY scope, kind, key ORDER BY hour)),
        counted AS (
            SELECT scope, kind, hour, 0 AS gap, human_chain FROM chains WHERE latest
            UNION ALL
            SELECT scope, kind, hour,
                   CASE WHEN previous IS NULL THEN 25 ELSE min(25, CAST(round((julianday(hour) - julianday(previous)) * 24) AS INTEGER)) END,
                   human_chain
            FROM chains WHERE gaps)
        SELECT scope, kind, hour, gap, sum(human_chain), sum(1 - human_chain)
        FROM counted
        GROUP BY 1, 2, 3, 4;
        """;

    /// <summary>
    /// The UTC days' rows of <see cref="ClickKeyHistogram"/> from its gap rows; the same as
    /// <see cref="PostgresClickRollupStore.DayKeysRebuildSql"/>. Hours are stored as text, so the day is its date and
    /// the hour's offset into it its hour.
    /// </summary>
    public const string DayKeysRebuildSql = """
        INSERT INTO link_click_key_histogram (scope, kind, hour, gap, human_keys, all_keys)
        SELECT scope, kind, substr(hour, 1, 10) || ' 00:00:00', -1, sum(human_keys), sum(all_keys)
        FROM link_click_key_histogram
        WHERE gap > CAST(substr(hour, 12, 2) AS INTEGER)
        GROUP BY 1, 2, 3;
        """;

    /// <summary>The UTC hour of a stored time (<c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c>), in the same text form.</summary>
    private const string HourOfClick = "substr(clicked_at, 1, 13) || ':00:00'";

    /// <summary>The rollups and uniques from the raw clicks, also run once by the migration that creates the tables.</summary>
    public const string RollupsRebuildSql = $"""
        DELETE FROM link_click_rollups;
        DELETE FROM link_click_uniques;
        INSERT INTO link_click_rollups (tracking_id, hour, dimension, value, human_clicks, bot_clicks)
        SELECT tracking_id, hour, dimension, value, sum(is_bot = 0), sum(is_bot <> 0)
        FROM (
            SELECT tracking_id, {HourOfClick} AS hour, 'source' AS dimension, click_source AS value, is_bot FROM link_clicks
            UNION ALL SELECT tracking_id, {HourOfClick}, 'category', bot_category, is_bot FROM link_clicks
            UNION ALL SELECT tracking_id, {HourOfClick}, 'country', coalesce(country, ''), is_bot FROM link_clicks
            UNION ALL SELECT tracking_id, {HourOfClick}, 'device', coalesce(device_type, ''), is_bot FROM link_clicks
            UNION ALL SELECT tracking_id, {HourOfClick}, 'browser', coalesce(browser, ''), is_bot FROM link_clicks
            UNION ALL SELECT tracking_id, {HourOfClick}, 'os', coalesce(os, ''), is_bot FROM link_clicks)
        GROUP BY 1, 2, 3, 4;
        INSERT INTO link_click_uniques (tracking_id, hour, kind, key, human_clicks, bot_clicks)
        SELECT tracking_id, hour, kind, key, sum(is_bot = 0), sum(is_bot <> 0)
        FROM (
            SELECT tracking_id, {HourOfClick} AS hour, 's' AS kind, session_id AS key, is_bot FROM link_clicks WHERE session_id IS NOT NULL
            UNION ALL SELECT tracking_id, {HourOfClick}, 'i', ip_address, is_bot FROM link_clicks WHERE ip_address IS NOT NULL)
        GROUP BY 1, 2, 3, 4;
        """;

    /// <summary>
    /// The whole rebuild: rollups and uniques from the clicks, then the scope and daily rollups and the histogram from
    /// them, the histogram's days from its gaps, and the links' last hours.
    /// </summary>
    public const string RebuildSql = $"""
        {RollupsRebuildSql}
        DELETE FROM link_click_scope_rollups;
        DELETE FROM link_click_daily_rollups;
        DELETE FROM link_click_key_histogram;
        DELETE FROM link_click_last_hours;
        {ScopeRollupsRebuildSql}
        {DailyRollupsRebuildSql}
        {HistogramRebuildSql}
        {DayKeysRebuildSql}
        {LastHoursRebuildSql}
        SELECT count(*) FROM link_clicks;
        """;

    public async Task ApplyAsync(DbConnection connection, DbTransaction transaction, ClickRollupDelta delta, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delta);
        var rollups = delta.Rollups();
        var uniques = delta.Uniques();
        var (stored, links) = await ReadAsync(connection, transaction, rollups, uniques, cancellationToken);
        var histogram = uniques.Count == 0 ? [] : ClickKeyHistogramDelta.Of(stored, uniques, links).Rows();
        var scopeRollups = RollupScopes.Of(rollups, links);
        var dailyRollups = DailyRollups.Of(rollups, scopeRollups);
        await ApplyRowsAsync(connection, transaction, UpsertRollup, rollups.Select(CountsRow.Of), cancellationToken);
        await ApplyRowsAsync(connection, transaction, UpsertUnique, uniques.Select(CountsRow.Of), cancellationToken);
        await ApplyRowsAsync(connection, transaction, UpsertScopeRollup, scopeRollups.Select(CountsRow.Of), cancellationToken);
        await ApplyRowsAsync(connection, transaction, UpsertDailyRollup, dailyRollups.Select(CountsRow.Of), cancellationToken);
        await ApplyHistogramAsync(connection, transaction, histogram, cancellationToken);
        await ApplyLastHoursAsync(connection, transaction, LastHours.Of(rollups), cancellationToken);
    }

    public async Task<long> RebuildAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var sqlite = (SqliteConnection)connection;
        await using var transaction = (SqliteTransaction)await sqlite.BeginTransactionAsync(cancellationToken);
        await using var command = sqlite.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = RebuildSql;
        command.CommandTimeout = 0;
        var clicks = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return clicks;
    }

    private static async Task ApplyRowsAsync(
        DbConnection connection,
        DbTransaction transaction,
        string sql,
        IEnumerable<CountsRow> rows,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        var owner = Parameter(command, "$owner");
        var hour = Parameter(command, "$hour");
        var name = Parameter(command, "$name");
        var value = Parameter(command, "$value");
        var human = Parameter(command, "$human");
        var bot = Parameter(command, "$bot");
        foreach (var row in rows)
        {
            owner.Value = row.Owner;
            hour.Value = SqliteClickBatchWriter.FormatTime(row.Time);
            name.Value = row.Name;
            value.Value = row.Value;
            human.Value = row.Human;
            bot.Value = row.Bot;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Reads what is stored of the changed keys, and the facts of the links changed.</summary>
    private static async Task<(List<UniqueRow> Stored, Dictionary<string, LinkFacts> Links)> ReadAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<RollupChange> rollups, IReadOnlyList<RollupChange> uniques, CancellationToken cancellationToken)
    {
        var stored = new List<UniqueRow>();
        var links = new Dictionary<string, LinkFacts>(StringComparer.Ordinal);
        await using (var session = Command(connection, transaction, ReadSession))
        {
            var key = Parameter(session, "$key");
            foreach (var value in uniques.Where(u => u.Name == RollupDimensions.SessionKind).Select(u => u.Value).Distinct(StringComparer.Ordinal))
            {
                key.Value = value;
                await ReadRowsAsync(session, stored, links, cancellationToken);
            }
        }

        await using (var address = Command(connection, transaction, ReadAddress))
        {
            var key = Parameter(address, "$key");
            var trackingId = Parameter(address, "$tracking_id");
            foreach (var (value, link) in uniques.Where(u => u.Name == RollupDimensions.IpKind).Select(u => (u.Value, u.TrackingId)).Distinct())
            {
                key.Value = value;
                trackingId.Value = link;
                await ReadRowsAsync(address, stored, links, cancellationToken);
            }
        }

        await using (var link = Command(connection, transaction, ReadLink))
        {
            var trackingId = Parameter(link, "$tracking_id");
            foreach (var id in rollups.Concat(uniques).Select(u => u.TrackingId).Distinct(StringComparer.Ordinal).Where(id => !links.ContainsKey(id)))
            {
                trackingId.Value = id;
                await using var reader = await link.ExecuteReaderAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken))
                {
                    links[id] = Facts(reader, id, 0);
                }
            }
        }

        return (stored, links);
    }

    private static async Task ReadRowsAsync(DbCommand command, List<UniqueRow> stored, Dictionary<string, LinkFacts> links, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var trackingId = reader.GetString(0);
            var hour = DateTime.Parse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            stored.Add(new UniqueRow(trackingId, hour, reader.GetString(2), reader.GetString(3), reader.GetInt32(4), reader.GetInt32(5)));
            if (!reader.IsDBNull(8))
            {
                links[trackingId] = Facts(reader, trackingId, 6);
            }
        }
    }

    private static LinkFacts Facts(DbDataReader reader, string trackingId, int first) => new(
        trackingId,
        reader.IsDBNull(first) ? null : Guid.Parse(reader.GetString(first)),
        reader.IsDBNull(first + 1) ? null : Guid.Parse(reader.GetString(first + 1)),
        reader.GetString(first + 2));

    private static async Task ApplyHistogramAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<ClickKeyHistogram> rows, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, UpsertHistogram);
        var scope = Parameter(command, "$scope");
        var kind = Parameter(command, "$kind");
        var hour = Parameter(command, "$hour");
        var gap = Parameter(command, "$gap");
        var human = Parameter(command, "$human");
        var all = Parameter(command, "$all");
        foreach (var row in rows)
        {
            scope.Value = row.Scope;
            kind.Value = row.Kind;
            hour.Value = SqliteClickBatchWriter.FormatTime(row.Hour);
            gap.Value = row.Gap;
            human.Value = row.HumanKeys;
            all.Value = row.AllKeys;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task ApplyLastHoursAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<LastHoursChange> changes, CancellationToken cancellationToken)
    {
        await using var upsert = Command(connection, transaction, UpsertLastHours);
        var trackingId = Parameter(upsert, "$tracking_id");
        var humanHour = Parameter(upsert, "$human_hour");
        var hour = Parameter(upsert, "$hour");
        await using var recount = Command(connection, transaction, RecountLastHours);
        var recounted = Parameter(recount, "$tracking_id");
        foreach (var change in changes)
        {
            if (change.Recount)
            {
                recounted.Value = change.TrackingId;
                await recount.ExecuteNonQueryAsync(cancellationToken);
                continue;
            }

            trackingId.Value = change.TrackingId;
            humanHour.Value = change.LastHumanHour is { } h ? SqliteClickBatchWriter.FormatTime(h) : (object)DBNull.Value;
            hour.Value = change.LastHour is { } a ? SqliteClickBatchWriter.FormatTime(a) : (object)DBNull.Value;
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static DbParameter Parameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
