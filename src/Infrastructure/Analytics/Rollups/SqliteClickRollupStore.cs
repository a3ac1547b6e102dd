using System.Data.Common;
using System.Globalization;
using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Clicks;
using Microsoft.Data.Sqlite;

namespace LinkTracking.Infrastructure.Analytics.Rollups;

/// <summary>
/// SQLite (ADR 0021): clicks take their numbers from <c>click_rollup_state.last_seq</c> in the writer's transaction;
/// SQLite has one writer, so a round in an <c>IMMEDIATE</c> transaction sees every number up to <c>last_seq</c>
/// committed. A round aggregates the window with one <c>GROUP BY</c> upsert per table (link, scope and daily rollups,
/// and the exact distinct keys of <c>link_click_uniques</c>). Corrections apply a prepared <c>INSERT … ON CONFLICT DO
/// UPDATE</c> per changed row (in-process, so many small statements cost no round trips), then a <c>DELETE</c> of the
/// rows a negative delta brought to zero. Hours are stored as EF Core's SQLite provider writes times
/// (<see cref="SqliteClickBatchWriter.FormatTime"/>).
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

    /// <summary>The link's totals (<see cref="ClickLinkTotal"/>); run by <see cref="ApplyRowsAsync"/>, whose <c>$owner</c> carries the link (the other parameters are unused).</summary>
    private const string UpsertTotals = """
        INSERT INTO link_click_totals (tracking_id, human_clicks, bot_clicks)
        VALUES ($owner, $human, $bot)
        ON CONFLICT (tracking_id) DO UPDATE
        SET human_clicks = human_clicks + excluded.human_clicks, bot_clicks = bot_clicks + excluded.bot_clicks;
        DELETE FROM link_click_totals WHERE tracking_id = $owner AND human_clicks = 0 AND bot_clicks = 0;
        """;

    /// <summary>The links' totals from their <c>category</c> rollups; the same as <see cref="PostgresClickRollupStore.TotalsRebuildSql"/>.</summary>
    public const string TotalsRebuildSql = """
        DELETE FROM link_click_totals;
        INSERT INTO link_click_totals (tracking_id, human_clicks, bot_clicks)
        SELECT tracking_id, sum(human_clicks), sum(bot_clicks) FROM link_click_rollups WHERE dimension = 'category' GROUP BY tracking_id;
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

    /// <summary>The scope's monthly row; run by <see cref="ApplyRowsAsync"/>, whose <c>$owner</c> carries the scope and <c>$hour</c> the month.</summary>
    private const string UpsertMonthlyRollup = """
        INSERT INTO link_click_monthly_rollups (scope, month, dimension, value, human_clicks, bot_clicks)
        VALUES ($owner, $hour, $name, $value, $human, $bot)
        ON CONFLICT (scope, dimension, month, value) DO UPDATE
        SET human_clicks = human_clicks + excluded.human_clicks, bot_clicks = bot_clicks + excluded.bot_clicks;
        DELETE FROM link_click_monthly_rollups
        WHERE ($human < 0 OR $bot < 0) AND scope = $owner AND month = $hour AND dimension = $name AND value = $value
          AND human_clicks = 0 AND bot_clicks = 0;
        """;

    /// <summary>
    /// All links' and jobs' <see cref="ClickMonthlyRollup"/> from their daily rows (<see cref="MonthlyRollups.KeepsMonths"/>); the
    /// same as <see cref="PostgresClickRollupStore.MonthsRebuildSql"/>, also run once by the migration that creates the table.
    /// </summary>
    public const string MonthlyRollupsRebuildSql = """
        INSERT INTO link_click_monthly_rollups (scope, month, dimension, value, human_clicks, bot_clicks)
        SELECT scope, substr(day, 1, 7) || '-01 00:00:00', dimension, value, sum(human_clicks), sum(bot_clicks)
        FROM link_click_daily_rollups
        WHERE substr(scope, 1, 1) = '*' OR substr(scope, 1, 2) = 'j:'
        GROUP BY 1, 2, 3, 4;
        """;

    /// <summary>
    /// <see cref="ClickDailyRollup"/>: the links' days from <c>link_click_rollups</c>, every shared scope's days from
    /// the links' days; the same as the daily part of <see cref="PostgresClickRollupStore.RebuildSql"/>. Hours are
    /// stored as text, so the day is its date.
    /// </summary>
    public const string DailyRollupsRebuildSql = $"""
        INSERT INTO link_click_daily_rollups (scope, day, dimension, value, human_clicks, bot_clicks)
        SELECT 'l:' || tracking_id, substr(hour, 1, 10) || ' 00:00:00', dimension, value, sum(human_clicks), sum(bot_clicks)
        FROM link_click_rollups
        GROUP BY 1, 2, 3, 4;
        INSERT INTO link_click_daily_rollups (scope, day, dimension, value, human_clicks, bot_clicks)
        SELECT scope, day, dimension, value, sum(human_clicks), sum(bot_clicks)
        FROM (
            SELECT {ScopeOfLink} AS scope,
                   d.day, d.dimension, d.value, d.human_clicks, d.bot_clicks
            FROM link_click_daily_rollups d
            JOIN link_tracking l ON d.scope = 'l:' || l.tracking_id AND l.link_function <> 'Decoy'
            CROSS JOIN {ScopeNumbers}
            WHERE s.n < 3 OR d.dimension = 'category')
        WHERE scope IS NOT NULL
        GROUP BY 1, 2, 3, 4;
        """;

    /// <summary>
    /// All links' and jobs' hourly <see cref="ClickScopeRollup"/> from <c>link_click_rollups</c> (the scopes that keep
    /// hours, <see cref="RollupScopes.KeepsHours"/>); the same as the scope part of <see cref="PostgresClickRollupStore.RebuildSql"/>.
    /// </summary>
    public const string ScopeRollupsRebuildSql = """
        INSERT INTO link_click_scope_rollups (scope, hour, dimension, value, human_clicks, bot_clicks)
        SELECT scope, hour, dimension, value, sum(human_clicks), sum(bot_clicks)
        FROM (
            SELECT CASE s.n WHEN 0 THEN '*' WHEN 1 THEN '*/' || l.link_function ELSE 'j:' || lower(l.job_id) END AS scope,
                   r.hour, r.dimension, r.value, r.human_clicks, r.bot_clicks
            FROM link_click_rollups r
            JOIN link_tracking l ON l.tracking_id = r.tracking_id AND l.link_function <> 'Decoy'
            CROSS JOIN (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2) AS s
            WHERE s.n = 0 OR r.dimension = 'category')
        WHERE scope IS NOT NULL
        GROUP BY 1, 2, 3, 4;
        """;

    /// <summary>The shared scope of link <c>l</c> numbered <c>s.n</c> (0–5, from <see cref="ScopeNumbers"/>); NULL where the link has no job or application.</summary>
    private const string ScopeOfLink = """
        CASE s.n
            WHEN 0 THEN '*'
            WHEN 1 THEN 'j:' || lower(l.job_id)
            WHEN 2 THEN 'a:' || lower(l.application_id)
            WHEN 3 THEN '*/' || l.link_function
            WHEN 4 THEN 'j:' || lower(l.job_id) || '/' || l.link_function
            ELSE 'a:' || lower(l.application_id) || '/' || l.link_function END
        """;

    private const string ScopeNumbers = "(SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5) AS s";

    /// <summary>
    /// A key's latest hours in a scope (<c>link_click_scope_keys</c>, ADR 0030) recomputed from its key rows; run by the
    /// corrections for the corrected link and each of its shared scopes, after its key rows have changed. A link's own
    /// scope holds sessions and addresses, decoys too; the shared ones sessions of links but decoys. The link's own
    /// rows are found by the key (<c>+</c> keeps SQLite off the primary key, which would scan all the link's hours).
    /// </summary>
    private const string RecomputeLinkKey = """
        DELETE FROM link_click_scope_keys WHERE scope = 'l:' || $link AND kind = $kind AND key = $key;
        INSERT INTO link_click_scope_keys (scope, kind, key, last_hour, last_human_hour)
        SELECT 'l:' || $link, $kind, u.key, max(u.hour), max(CASE WHEN u.human_clicks > 0 THEN u.hour END)
        FROM link_click_uniques u
        WHERE u.key = $key AND u.kind = $kind AND +u.tracking_id = $link
        GROUP BY u.key;
        """;

    /// <inheritdoc cref="RecomputeLinkKey"/>
    private const string RecomputeScopeKey = $"""
        DELETE FROM link_click_scope_keys WHERE scope = $scope AND kind = 's' AND key = $key;
        INSERT INTO link_click_scope_keys (scope, kind, key, last_hour, last_human_hour)
        SELECT $scope, 's', u.key, max(u.hour), max(CASE WHEN u.human_clicks > 0 THEN u.hour END)
        FROM link_click_uniques u
        JOIN link_tracking l ON l.tracking_id = u.tracking_id AND l.link_function <> 'Decoy'
        CROSS JOIN {ScopeNumbers}
        WHERE u.kind = 's' AND u.key = $key AND {ScopeOfLink} = $scope
        GROUP BY u.key;
        """;

    /// <summary>
    /// Every key's latest hour, and latest hour with a human click, in its link's scope and every session's in each
    /// shared scope (ADR 0030), from <c>link_click_uniques</c>: the rebuild's, also run once by the migration that
    /// creates the table.
    /// </summary>
    public const string ScopeKeysRebuildSql = $"""
        DELETE FROM link_click_scope_keys;
        INSERT INTO link_click_scope_keys (scope, kind, key, last_hour, last_human_hour)
        SELECT 'l:' || tracking_id, kind, key, max(hour), max(CASE WHEN human_clicks > 0 THEN hour END)
        FROM link_click_uniques
        GROUP BY tracking_id, kind, key;
        INSERT INTO link_click_scope_keys (scope, kind, key, last_hour, last_human_hour)
        SELECT scope, 's', key, max(hour), max(human_hour)
        FROM (
            SELECT {ScopeOfLink} AS scope, u.key, u.hour, CASE WHEN u.human_clicks > 0 THEN u.hour END AS human_hour
            FROM link_click_uniques u
            JOIN link_tracking l ON l.tracking_id = u.tracking_id AND l.link_function <> 'Decoy'
            CROSS JOIN {ScopeNumbers}
            WHERE u.kind = 's')
        WHERE scope IS NOT NULL
        GROUP BY scope, key;
        """;

    /// <summary>
    /// All links' sessions of a UTC day (ADR 0030): a day's key row (<c>$owner</c> the scope, <c>$hour</c> the day,
    /// <c>$value</c> the session) changed by exact deltas, and the day's counts of sessions and of sessions with a human
    /// click moved by the row's change of state; run by <see cref="ApplyRowsAsync"/>.
    /// </summary>
    private const string UpsertDayKey = """
        INSERT INTO link_click_day_sessions (scope, day, human_sessions, sessions)
        SELECT $owner, $hour,
               (coalesce(k.human_clicks, 0) + $human > 0) - (coalesce(k.human_clicks, 0) > 0),
               (coalesce(k.human_clicks + k.bot_clicks, 0) + $human + $bot > 0) - (coalesce(k.human_clicks + k.bot_clicks, 0) > 0)
        FROM (SELECT 1) AS one
        LEFT JOIN link_click_day_keys k ON k.scope = $owner AND k.day = $hour AND k.key = $value
        WHERE true
        ON CONFLICT (scope, day) DO UPDATE
        SET human_sessions = human_sessions + excluded.human_sessions, sessions = sessions + excluded.sessions;
        INSERT INTO link_click_day_keys (scope, day, key, human_clicks, bot_clicks)
        VALUES ($owner, $hour, $value, $human, $bot)
        ON CONFLICT (scope, day, key) DO UPDATE
        SET human_clicks = human_clicks + excluded.human_clicks, bot_clicks = bot_clicks + excluded.bot_clicks;
        DELETE FROM link_click_day_keys
        WHERE ($human < 0 OR $bot < 0) AND scope = $owner AND day = $hour AND key = $value
          AND human_clicks = 0 AND bot_clicks = 0;
        DELETE FROM link_click_day_sessions WHERE ($human < 0 OR $bot < 0) AND scope = $owner AND day = $hour AND sessions = 0;
        """;

    /// <summary>All links' sessions per UTC day (ADR 0030) from <c>link_click_uniques</c>: the rebuild's, also run once by the migration that creates the tables.</summary>
    public const string DaySessionsRebuildSql = """
        DELETE FROM link_click_day_keys;
        DELETE FROM link_click_day_sessions;
        INSERT INTO link_click_day_keys (scope, day, key, human_clicks, bot_clicks)
        SELECT '*', substr(u.hour, 1, 10) || ' 00:00:00', u.key, sum(u.human_clicks), sum(u.bot_clicks)
        FROM link_click_uniques u
        JOIN link_tracking l ON l.tracking_id = u.tracking_id AND l.link_function <> 'Decoy'
        WHERE u.kind = 's'
        GROUP BY 1, 2, 3;
        INSERT INTO link_click_day_sessions (scope, day, human_sessions, sessions)
        SELECT scope, day, sum(human_clicks > 0), count(*) FROM link_click_day_keys GROUP BY 1, 2;
        """;

    private const string ReadLink = "SELECT job_id, application_id, link_function FROM link_tracking WHERE tracking_id = $tracking_id";

    /// <summary>The UTC hour of a stored time (<c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c>), in the same text form.</summary>
    private const string HourOfClick = "substr(clicked_at, 1, 13) || ':00:00'";

    private const string ReadState = "SELECT rolled_seq, last_seq FROM click_rollup_state WHERE id = 1";

    private const string AdvanceWatermark = "UPDATE click_rollup_state SET rolled_seq = $to, rolled_at = coalesce($at, rolled_at) WHERE id = 1";

    private const string RolledUp = """
        SELECT id FROM link_clicks
        WHERE id IN (SELECT value FROM json_each($ids)) AND seq <= (SELECT rolled_seq FROM click_rollup_state WHERE id = 1)
        """;

    /// <summary>
    /// The clicks numbered in ($from, $to] into the link rollups, all links' and jobs' hourly rollups, every scope's daily
    /// ones, all links' monthly ones and the exact distinct keys, one <c>GROUP BY</c> upsert per table (the same shapes as the rebuild's, over the window
    /// only). Returns the clicks.
    /// </summary>
    private const string RollUpWindow = $"""
        DROP TABLE IF EXISTS temp.rollup_window;
        CREATE TEMP TABLE rollup_window AS
        SELECT tracking_id, {HourOfClick} AS hour, 'source' AS dimension, click_source AS value, is_bot FROM link_clicks WHERE seq > $from AND seq <= $to
        UNION ALL SELECT tracking_id, {HourOfClick}, 'category', bot_category, is_bot FROM link_clicks WHERE seq > $from AND seq <= $to
        UNION ALL SELECT tracking_id, {HourOfClick}, 'country', coalesce(country, ''), is_bot FROM link_clicks WHERE seq > $from AND seq <= $to
        UNION ALL SELECT tracking_id, {HourOfClick}, 'device', coalesce(device_type, ''), is_bot FROM link_clicks WHERE seq > $from AND seq <= $to
        UNION ALL SELECT tracking_id, {HourOfClick}, 'browser', coalesce(browser, ''), is_bot FROM link_clicks WHERE seq > $from AND seq <= $to
        UNION ALL SELECT tracking_id, {HourOfClick}, 'os', coalesce(os, ''), is_bot FROM link_clicks WHERE seq > $from AND seq <= $to;
        DROP TABLE IF EXISTS temp.rollup_agg;
        CREATE TEMP TABLE rollup_agg AS
        SELECT tracking_id, hour, dimension, value, sum(is_bot = 0) AS human, sum(is_bot <> 0) AS bot
        FROM rollup_window GROUP BY 1, 2, 3, 4;
        INSERT INTO link_click_rollups (tracking_id, hour, dimension, value, human_clicks, bot_clicks)
        SELECT tracking_id, hour, dimension, value, human, bot FROM rollup_agg WHERE true
        ON CONFLICT (tracking_id, dimension, hour, value) DO UPDATE
        SET human_clicks = human_clicks + excluded.human_clicks, bot_clicks = bot_clicks + excluded.bot_clicks;
        INSERT INTO link_click_totals (tracking_id, human_clicks, bot_clicks)
        SELECT tracking_id, sum(human), sum(bot) FROM rollup_agg WHERE dimension = 'category' GROUP BY tracking_id
        ON CONFLICT (tracking_id) DO UPDATE
        SET human_clicks = human_clicks + excluded.human_clicks, bot_clicks = bot_clicks + excluded.bot_clicks;
        DROP TABLE IF EXISTS temp.rollup_scoped;
        CREATE TEMP TABLE rollup_scoped AS
        SELECT scope, hour, dimension, value, sum(human) AS human, sum(bot) AS bot
        FROM (
            SELECT {ScopeOfLink} AS scope,
                   r.hour, r.dimension, r.value, r.human, r.bot
            FROM rollup_agg r
            JOIN link_tracking l ON l.tracking_id = r.tracking_id AND l.link_function <> 'Decoy'
            CROSS JOIN {ScopeNumbers}
            WHERE s.n < 3 OR r.dimension = 'category')
        WHERE scope IS NOT NULL
        GROUP BY 1, 2, 3, 4;
        INSERT INTO link_click_scope_rollups (scope, hour, dimension, value, human_clicks, bot_clicks)
        SELECT scope, hour, dimension, value, human, bot FROM rollup_scoped
        WHERE substr(scope, 1, 1) = '*' OR (substr(scope, 1, 2) = 'j:' AND dimension = 'category' AND instr(scope, '/') = 0)
        ON CONFLICT (scope, dimension, hour, value) DO UPDATE
        SET human_clicks = human_clicks + excluded.human_clicks, bot_clicks = bot_clicks + excluded.bot_clicks;
        INSERT INTO link_click_daily_rollups (scope, day, dimension, value, human_clicks, bot_clicks)
        SELECT scope, substr(hour, 1, 10) || ' 00:00:00', dimension, value, sum(human), sum(bot)
        FROM (SELECT 'l:' || tracking_id AS scope, hour, dimension, value, human, bot FROM rollup_agg
              UNION ALL SELECT scope, hour, dimension, value, human, bot FROM rollup_scoped)
        WHERE true
        GROUP BY 1, 2, 3, 4
        ON CONFLICT (scope, dimension, day, value) DO UPDATE
        SET human_clicks = human_clicks + excluded.human_clicks, bot_clicks = bot_clicks + excluded.bot_clicks;
        INSERT INTO link_click_monthly_rollups (scope, month, dimension, value, human_clicks, bot_clicks)
        SELECT scope, substr(hour, 1, 7) || '-01 00:00:00', dimension, value, sum(human), sum(bot)
        FROM rollup_scoped
        WHERE substr(scope, 1, 1) = '*' OR substr(scope, 1, 2) = 'j:'
        GROUP BY 1, 2, 3, 4
        ON CONFLICT (scope, dimension, month, value) DO UPDATE
        SET human_clicks = human_clicks + excluded.human_clicks, bot_clicks = bot_clicks + excluded.bot_clicks;
        INSERT INTO link_click_uniques (tracking_id, hour, kind, key, human_clicks, bot_clicks)
        SELECT tracking_id, hour, kind, key, sum(is_bot = 0), sum(is_bot <> 0)
        FROM (
            SELECT tracking_id, {HourOfClick} AS hour, 's' AS kind, session_id AS key, is_bot FROM link_clicks
            WHERE seq > $from AND seq <= $to AND session_id IS NOT NULL
            UNION ALL SELECT tracking_id, {HourOfClick}, 'i', ip_address, is_bot FROM link_clicks
            WHERE seq > $from AND seq <= $to AND ip_address IS NOT NULL)
        WHERE true
        GROUP BY 1, 2, 3, 4
        ON CONFLICT (tracking_id, hour, kind, key) DO UPDATE
        SET human_clicks = human_clicks + excluded.human_clicks, bot_clicks = bot_clicks + excluded.bot_clicks;
        INSERT INTO link_click_scope_keys (scope, kind, key, last_hour, last_human_hour)
        SELECT 'l:' || tracking_id, kind, key, max(hour), max(CASE WHEN is_bot = 0 THEN hour END)
        FROM (
            SELECT tracking_id, 's' AS kind, session_id AS key, {HourOfClick} AS hour, is_bot FROM link_clicks
            WHERE seq > $from AND seq <= $to AND session_id IS NOT NULL
            UNION ALL SELECT tracking_id, 'i', ip_address, {HourOfClick}, is_bot FROM link_clicks
            WHERE seq > $from AND seq <= $to AND ip_address IS NOT NULL)
        WHERE true
        GROUP BY 1, 2, 3
        ON CONFLICT (scope, kind, key) DO UPDATE
        SET last_hour = max(last_hour, excluded.last_hour),
            last_human_hour = coalesce(max(last_human_hour, excluded.last_human_hour), last_human_hour, excluded.last_human_hour)
        WHERE excluded.last_hour > last_hour OR coalesce(excluded.last_human_hour, '') > coalesce(last_human_hour, '');
        INSERT INTO link_click_scope_keys (scope, kind, key, last_hour, last_human_hour)
        SELECT scope, 's', key, max(hour), max(human_hour)
        FROM (
            SELECT {ScopeOfLink} AS scope, w.key, w.hour, w.human_hour
            FROM (SELECT tracking_id, session_id AS key, max({HourOfClick}) AS hour, max(CASE WHEN is_bot = 0 THEN {HourOfClick} END) AS human_hour
                  FROM link_clicks WHERE seq > $from AND seq <= $to AND session_id IS NOT NULL
                  GROUP BY 1, 2) AS w
            JOIN link_tracking l ON l.tracking_id = w.tracking_id AND l.link_function <> 'Decoy'
            CROSS JOIN {ScopeNumbers})
        WHERE scope IS NOT NULL
        GROUP BY scope, key
        ON CONFLICT (scope, kind, key) DO UPDATE
        SET last_hour = max(last_hour, excluded.last_hour),
            last_human_hour = coalesce(max(last_human_hour, excluded.last_human_hour), last_human_hour, excluded.last_human_hour)
        WHERE excluded.last_hour > last_hour OR coalesce(excluded.last_human_hour, '') > coalesce(last_human_hour, '');
        DROP TABLE IF EXISTS temp.day_key_window;
        CREATE TEMP TABLE day_key_window AS
        SELECT '*' AS scope, substr(c.clicked_at, 1, 10) || ' 00:00:00' AS day, c.session_id AS key, sum(c.is_bot = 0) AS human, sum(c.is_bot <> 0) AS bot
        FROM link_clicks c
        JOIN link_tracking l ON l.tracking_id = c.tracking_id AND l.link_function <> 'Decoy'
        WHERE c.seq > $from AND c.seq <= $to AND c.session_id IS NOT NULL
        GROUP BY 1, 2, 3;
        INSERT INTO link_click_day_sessions (scope, day, human_sessions, sessions)
        SELECT w.scope, w.day, sum(w.human > 0 AND coalesce(k.human_clicks, 0) = 0), sum(k.key IS NULL)
        FROM day_key_window w
        LEFT JOIN link_click_day_keys k ON k.scope = w.scope AND k.day = w.day AND k.key = w.key
        WHERE true
        GROUP BY 1, 2
        ON CONFLICT (scope, day) DO UPDATE
        SET human_sessions = human_sessions + excluded.human_sessions, sessions = sessions + excluded.sessions;
        INSERT INTO link_click_day_keys (scope, day, key, human_clicks, bot_clicks)
        SELECT scope, day, key, human, bot FROM day_key_window WHERE true
        ON CONFLICT (scope, day, key) DO UPDATE
        SET human_clicks = human_clicks + excluded.human_clicks, bot_clicks = bot_clicks + excluded.bot_clicks;
        SELECT count(*) FROM link_clicks WHERE seq > $from AND seq <= $to;
        """;

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
    /// The whole rebuild: rollups and uniques from the clicks, then the scope, daily and monthly rollups from them; the
    /// watermark becomes the last number handed out.
    /// </summary>
    public const string RebuildSql = $"""
        {RollupsRebuildSql}
        DELETE FROM link_click_scope_rollups;
        DELETE FROM link_click_daily_rollups;
        DELETE FROM link_click_monthly_rollups;
        {ScopeRollupsRebuildSql}
        {DailyRollupsRebuildSql}
        {MonthlyRollupsRebuildSql}
        {ScopeKeysRebuildSql}
        {DaySessionsRebuildSql}
        UPDATE click_rollup_state SET rolled_seq = last_seq, rolled_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE id = 1;
        SELECT count(*) FROM link_clicks;
        """;

    /// <summary>
    /// <see cref="RebuildSql"/> without the monthly table and the sessions' scope keys: what the migration of ADR 0021
    /// runs, before they exist (the migrations of ADR 0029 and ADR 0030 create them and fill them).
    /// </summary>
    public static string RebuildBeforeMonthsSql => RebuildSql
        .Replace("DELETE FROM link_click_monthly_rollups;", "", StringComparison.Ordinal)
        .Replace(MonthlyRollupsRebuildSql, "", StringComparison.Ordinal)
        .Replace(ScopeKeysRebuildSql, "", StringComparison.Ordinal)
        .Replace(DaySessionsRebuildSql, "", StringComparison.Ordinal);

    public string UniqueCounts => UniqueCountKinds.Exact;

    public async Task<RollupRound?> RollUpAsync(
        DbConnection connection, TimeProvider clock, Func<long, long, CancellationToken, Task>? beforeCounting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var sqlite = (SqliteConnection)connection;
        long? reclassifiedTo = null;
        if (beforeCounting is not null)
        {
            // Before the round's write lock: the reclassification writes through connections of its own.
            var (watermark, last) = await ReadStateAsync(connection, null, cancellationToken);
            reclassifiedTo = Math.Min(last, watermark + PostgresClickRollupStore.MaxReclassifiedWindow);
            await beforeCounting(watermark, reclassifiedTo.Value, cancellationToken);
        }

        // IMMEDIATE: the one writer's lock, so no click is being written while the window is read.
        await using var transaction = (SqliteTransaction)await sqlite.BeginTransactionAsync(cancellationToken);
        var (from, bound) = await ReadStateAsync(connection, transaction, cancellationToken);
        var to = Math.Min(reclassifiedTo ?? bound, from + PostgresClickRollupStore.MaxWindow);
        long clicks = 0;
        if (to > from)
        {
            await using var window = Command(connection, transaction, RollUpWindow);
            window.CommandTimeout = 0;
            Parameter(window, "$from").Value = from;
            Parameter(window, "$to").Value = to;
            clicks = (long)(await window.ExecuteScalarAsync(cancellationToken))!;
        }

        var coveredAt = to == bound ? clock.GetUtcNow().UtcDateTime : (DateTime?)null;
        await using (var advance = Command(connection, transaction, AdvanceWatermark))
        {
            Parameter(advance, "$to").Value = Math.Max(from, to);
            Parameter(advance, "$at").Value = coveredAt is { } at ? SqliteClickBatchWriter.FormatTime(at) : DBNull.Value;
            await advance.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return await WatermarkAsync(connection, cancellationToken) with { Clicks = clicks };
    }

    /// <summary>The watermark and the last number handed out.</summary>
    private static async Task<(long Watermark, long Last)> ReadStateAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var state = connection.CreateCommand();
        state.Transaction = transaction;
        state.CommandText = ReadState;
        await using var reader = await state.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    public async Task<long> BacklogAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(max(last_seq - rolled_seq, 0)), 0) FROM click_rollup_state WHERE id = 1";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<RollupRound> WatermarkAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT rolled_seq, rolled_at FROM click_rollup_state WHERE id = 1";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var at = DateTime.Parse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        return new RollupRound(reader.GetInt64(0), at, 0);
    }

    public async Task<IReadOnlySet<Guid>> RolledUpAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyCollection<Guid> clickIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clickIds);
        var rolled = new HashSet<Guid>();
        await using var command = Command(connection, transaction, RolledUp);
        Parameter(command, "$ids").Value = System.Text.Json.JsonSerializer.Serialize(clickIds.Select(id => id.ToString().ToUpperInvariant()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rolled.Add(Guid.Parse(reader.GetString(0)));
        }

        return rolled;
    }

    public async Task ApplyAsync(DbConnection connection, DbTransaction transaction, ClickRollupDelta delta, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delta);
        var rollups = delta.Rollups();
        var links = await ReadLinksAsync(connection, transaction, rollups, cancellationToken);
        var scopeRollups = RollupScopes.Of(rollups, links);
        var dailyRollups = DailyRollups.Of(rollups, scopeRollups);
        await ApplyRowsAsync(connection, transaction, UpsertRollup, rollups.Select(CountsRow.Of), cancellationToken);
        await ApplyRowsAsync(
            connection, transaction, UpsertTotals, LinkTotals.Of(rollups).Select(t => new CountsRow(t.TrackingId, default, "", "", checked((int)t.Human), checked((int)t.Bot))), cancellationToken);
        var uniques = delta.Uniques();
        await ApplyRowsAsync(connection, transaction, UpsertUnique, uniques.Select(CountsRow.Of), cancellationToken);
        await RecomputeScopeKeysAsync(connection, transaction, uniques, links, cancellationToken);
        await ApplyRowsAsync(connection, transaction, UpsertDayKey, DaySessionChanges(uniques, links), cancellationToken);
        await ApplyRowsAsync(connection, transaction, UpsertScopeRollup, scopeRollups.Where(r => RollupScopes.KeepsHours(r.Scope, r.Dimension)).Select(CountsRow.Of), cancellationToken);
        await ApplyRowsAsync(connection, transaction, UpsertDailyRollup, dailyRollups.Select(CountsRow.Of), cancellationToken);
        await ApplyRowsAsync(connection, transaction, UpsertMonthlyRollup, MonthlyRollups.Of(dailyRollups).Select(CountsRow.Of), cancellationToken);
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
        command.CommandText = TotalsRebuildSql;
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return clicks;
    }

    /// <summary>The corrected sessions' changes per UTC day in all links (ADR 0030): decoys count only in their own scope.</summary>
    private static IEnumerable<CountsRow> DaySessionChanges(IEnumerable<RollupChange> uniques, Dictionary<string, LinkFacts> links) =>
        uniques
            .Where(u => u.Name == RollupDimensions.SessionKind && links.TryGetValue(u.TrackingId, out var link) && !LinkFunction.IsDecoy(link.Function))
            .GroupBy(u => (Day: u.Hour.Date, Key: u.Value))
            .Select(g => new CountsRow(DistinctScopes.All, DateTime.SpecifyKind(g.Key.Day, DateTimeKind.Utc), RollupDimensions.SessionKind, g.Key.Key, g.Sum(u => u.HumanClicks), g.Sum(u => u.BotClicks)))
            .Where(r => r.Human != 0 || r.Bot != 0);

    /// <summary>The latest hours of each corrected key in its link's scope, and of each corrected session in the link's shared scopes (ADR 0030).</summary>
    private static async Task RecomputeScopeKeysAsync(
        DbConnection connection, DbTransaction transaction, IEnumerable<RollupChange> uniques, Dictionary<string, LinkFacts> links, CancellationToken cancellationToken)
    {
        var changed = uniques.Select(u => (Link: u.TrackingId, Kind: u.Name, Key: u.Value)).ToHashSet();
        await using (var command = Command(connection, transaction, RecomputeLinkKey))
        {
            var link = Parameter(command, "$link");
            var kind = Parameter(command, "$kind");
            var key = Parameter(command, "$key");
            foreach (var change in changed)
            {
                (link.Value, kind.Value, key.Value) = (change.Link, change.Kind, change.Key);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        var shared = changed
            .Where(c => c.Kind == RollupDimensions.SessionKind && links.ContainsKey(c.Link))
            .SelectMany(c => RollupScopes.For(links[c.Link]).Select(s => (s.Scope, c.Key)))
            .ToHashSet();
        await using (var command = Command(connection, transaction, RecomputeScopeKey))
        {
            var scope = Parameter(command, "$scope");
            var key = Parameter(command, "$key");
            foreach (var (changedScope, changedKey) in shared)
            {
                (scope.Value, key.Value) = (changedScope, changedKey);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    private static async Task ApplyRowsAsync(
        DbConnection connection,
        DbTransaction transaction,
        string sql,
        IEnumerable<CountsRow> rows,
        CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
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

    /// <summary>The facts of the links changed: the scopes their rows are summed in.</summary>
    private static async Task<Dictionary<string, LinkFacts>> ReadLinksAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<RollupChange> rollups, CancellationToken cancellationToken)
    {
        var links = new Dictionary<string, LinkFacts>(StringComparer.Ordinal);
        await using var link = Command(connection, transaction, ReadLink);
        var trackingId = Parameter(link, "$tracking_id");
        foreach (var id in rollups.Select(u => u.TrackingId).Distinct(StringComparer.Ordinal))
        {
            trackingId.Value = id;
            await using var reader = await link.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                links[id] = new LinkFacts(
                    id,
                    reader.IsDBNull(0) ? null : Guid.Parse(reader.GetString(0)),
                    reader.IsDBNull(1) ? null : Guid.Parse(reader.GetString(1)),
                    reader.GetString(2));
            }
        }

        return links;
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
