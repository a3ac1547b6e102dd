using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace LinkTracking.Infrastructure.Analytics.Rollups;

/// <summary>
/// PostgreSQL (ADR 0021): clicks take their number from the sequence <c>link_clicks_seq</c> as they are inserted or
/// copied. A round first fixes a safe bound — under a brief <c>EXCLUSIVE</c> lock on <c>link_clicks</c>, granted only
/// when no writer is in flight and letting none start, the sequence's last value: every number up to it belongs to a
/// committed click or to none (the pattern of Citus's <c>incremental_rollup_window</c>). The lock is tried without
/// queueing first (<c>NOWAIT</c>, a few times), so writers do not stall behind a round that waits for a slow one. Then, in one transaction
/// that locks the watermark row first, one statement aggregates the window's clicks into the link, scope and daily
/// rollups (<c>GROUP BY GROUPING SETS … ON CONFLICT DO UPDATE</c>), one adds their sessions and addresses to the
/// HyperLogLog sketches (<c>hll</c> extension, 2^14 registers: 0.81 % standard error), and the watermark moves to the
/// bound. Rows touched grow with the distinct (link, hour, value) of the window, not with its clicks.
/// </summary>
public sealed class PostgresClickRollupStore : IClickRollupStore
{
    /// <summary>log2m = 14 (16,384 registers, standard error 1.04 / √16384 = 0.81 %), 5-bit registers, automatic explicit and sparse forms.</summary>
    public const string HllParameters = "14, 5, -1, 1";

    /// <summary>The largest window a round takes: a backlog is rolled up in bounded statements.</summary>
    public const long MaxWindow = 500_000;

    /// <summary>
    /// The largest window a round reclassifies (bursts, decoys) and then counts: a backlog of hundreds of thousands of
    /// clicks (a database back after an outage) is worked off in rounds that each finish well within the command
    /// timeout, so the watermark keeps moving (a round over the whole backlog timed out and was retried forever).
    /// 200,000 rather than 50,000: wider rounds fold more clicks into each rollup row (live traffic through
    /// record-clicks: 5,814 -> 7,143 clicks/s end to end, bench/RESULTS.md).
    /// </summary>
    public const long MaxReclassifiedWindow = 200_000;

    /// <summary>Tries without queueing first (<c>NOWAIT</c>), so writers never wait behind a round that waits for one of them.</summary>
    private const int BoundAttemptsWithoutWaiting = 10;

    /// <summary>The last try queues, at most this long, for the writers in flight.</summary>
    private const string LockTimeout = "SET LOCAL lock_timeout = '1s'";

    private const string BoundNoWait = """
        LOCK TABLE link_clicks IN EXCLUSIVE MODE NOWAIT;
        SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM link_clicks_seq;
        """;

    private const string Bound = """
        LOCK TABLE link_clicks IN EXCLUSIVE MODE;
        SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM link_clicks_seq;
        """;

    private const string LockWatermark = "SELECT rolled_seq FROM click_rollup_state WHERE id = 1 FOR UPDATE";

    private const string ReadWatermark = "SELECT rolled_seq, rolled_at FROM click_rollup_state WHERE id = 1";

    /// <summary>The numbers handed out above the watermark (a writer's rolled-back numbers count too: an estimate).</summary>
    private const string Backlog = """
        SELECT greatest((SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM link_clicks_seq)
                        - coalesce((SELECT rolled_seq FROM click_rollup_state WHERE id = 1), 0), 0)
        """;

    private const string AdvanceWatermark = "UPDATE click_rollup_state SET rolled_seq = $1, rolled_at = coalesce($2, rolled_at) WHERE id = 1";

    private const string RolledUp = """
        SELECT c.id FROM link_clicks c, (SELECT rolled_seq FROM click_rollup_state WHERE id = 1 FOR SHARE) AS w
        WHERE c.id = ANY($1) AND c.seq <= w.rolled_seq
        """;

    /// <summary>Hours are cut in UTC whatever the session's TimeZone.</summary>
    private const string HourOfClick = "date_trunc('hour', c.clicked_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'";

    /// <summary>The UTC day of a sketch's hour (<c>x.hour</c>) and of a rollup's (<c>hour</c>).</summary>
    private const string DayOfSketch = "date_trunc('day', x.hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'";

    private const string DayOfRollup = "date_trunc('day', hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'";

    /// <summary>The scopes that keep monthly rows and sketches (<see cref="MonthlyRollups.KeepsMonths"/>): all links and jobs, per function too.</summary>
    private const string KeepsMonths = "(left(scope, 1) = '*' OR left(scope, 2) = 'j:')";

    /// <summary>The UTC month of a rollup's hour (<c>hour</c>) and of a daily row's or sketch's day (<c>day</c>).</summary>
    private const string MonthOfRollup = "date_trunc('month', hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'";

    private const string MonthOfDay = "date_trunc('month', day AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'";

    /// <summary>The shared scopes of a link <c>l</c> (none for a decoy); <c>all_dimensions</c> is false for the per-function ones, which keep categories only.</summary>
    private const string SharedScopes = """
        CROSS JOIN LATERAL (VALUES
            ('*', true),
            ('j:' || l.job_id, true),
            ('a:' || l.application_id, true),
            ('*/' || l.link_function, false),
            ('j:' || l.job_id || '/' || l.link_function, false),
            ('a:' || l.application_id || '/' || l.link_function, false)) AS s(scope, all_dimensions)
        """;

    /// <summary>
    /// The counts of the clicks numbered in ($1, $2]: per link, hour, dimension and value, summed into the link rows,
    /// the links' totals, all links' and jobs' hourly rows (<see cref="RollupScopes.KeepsHours"/>), every scope's daily rows
    /// and all links' and jobs' monthly rows (<see cref="MonthlyRollups.KeepsMonths"/>), in one statement. Returns the clicks counted.
    /// </summary>
    private const string RollUpWindow = $"""
        WITH w AS (
            SELECT c.tracking_id, {HourOfClick} AS hour, c.is_bot, c.click_source, c.bot_category,
                   coalesce(c.country, '') AS country, coalesce(c.device_type, '') AS device,
                   coalesce(c.browser, '') AS browser, coalesce(c.os, '') AS os
            FROM link_clicks c
            WHERE c.seq > $1 AND c.seq <= $2),
        agg AS (
            SELECT tracking_id, hour,
                   CASE WHEN grouping(click_source) = 0 THEN 'source' WHEN grouping(bot_category) = 0 THEN 'category'
                        WHEN grouping(country) = 0 THEN 'country' WHEN grouping(device) = 0 THEN 'device'
                        WHEN grouping(browser) = 0 THEN 'browser' ELSE 'os' END AS dimension,
                   coalesce(click_source, bot_category, country, device, browser, os) AS value,
                   count(*) FILTER (WHERE NOT is_bot)::int AS human, count(*) FILTER (WHERE is_bot)::int AS bot
            FROM w
            GROUP BY GROUPING SETS ((tracking_id, hour, click_source), (tracking_id, hour, bot_category),
                                    (tracking_id, hour, country), (tracking_id, hour, device),
                                    (tracking_id, hour, browser), (tracking_id, hour, os))),
        links AS (
            INSERT INTO link_click_rollups AS r (tracking_id, hour, dimension, value, human_clicks, bot_clicks)
            SELECT tracking_id, hour, dimension, value, human, bot FROM agg
            ON CONFLICT (tracking_id, dimension, hour, value) DO UPDATE
            SET human_clicks = r.human_clicks + excluded.human_clicks, bot_clicks = r.bot_clicks + excluded.bot_clicks),
        totals AS (
            INSERT INTO link_click_totals AS t (tracking_id, human_clicks, bot_clicks, last_hour, last_human_hour)
            SELECT tracking_id, sum(human), sum(bot), max(hour), max(hour) FILTER (WHERE human > 0)
            FROM agg WHERE dimension = 'category' GROUP BY tracking_id
            ON CONFLICT (tracking_id) DO UPDATE
            SET human_clicks = t.human_clicks + excluded.human_clicks, bot_clicks = t.bot_clicks + excluded.bot_clicks,
                last_hour = greatest(t.last_hour, excluded.last_hour), last_human_hour = greatest(t.last_human_hour, excluded.last_human_hour)),
        scoped AS (
            SELECT s.scope, a.hour, a.dimension, a.value, sum(a.human)::int AS human, sum(a.bot)::int AS bot
            FROM agg a
            JOIN link_tracking l ON l.tracking_id = a.tracking_id AND l.link_function <> 'Decoy'
            {SharedScopes}
            WHERE s.scope IS NOT NULL AND (s.all_dimensions OR a.dimension = 'category')
            GROUP BY 1, 2, 3, 4),
        scopes AS (
            INSERT INTO link_click_scope_rollups AS r (scope, hour, dimension, value, human_clicks, bot_clicks)
            SELECT * FROM scoped WHERE left(scope, 1) = '*' OR (left(scope, 2) = 'j:' AND dimension = 'category' AND strpos(scope, '/') = 0)
            ON CONFLICT (scope, dimension, hour, value) DO UPDATE
            SET human_clicks = r.human_clicks + excluded.human_clicks, bot_clicks = r.bot_clicks + excluded.bot_clicks),
        days AS (
            INSERT INTO link_click_daily_rollups AS r (scope, day, dimension, value, human_clicks, bot_clicks)
            SELECT scope, date_trunc('day', hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', dimension, value, sum(human), sum(bot)
            FROM (SELECT 'l:' || tracking_id AS scope, hour, dimension, value, human, bot FROM agg
                  UNION ALL SELECT * FROM scoped) AS x
            GROUP BY 1, 2, 3, 4
            ON CONFLICT (scope, dimension, day, value) DO UPDATE
            SET human_clicks = r.human_clicks + excluded.human_clicks, bot_clicks = r.bot_clicks + excluded.bot_clicks),
        months AS (
            INSERT INTO link_click_monthly_rollups AS r (scope, month, dimension, value, human_clicks, bot_clicks)
            SELECT scope, {MonthOfRollup}, dimension, value, sum(human), sum(bot)
            FROM scoped WHERE {KeepsMonths}
            GROUP BY 1, 2, 3, 4
            ON CONFLICT (scope, dimension, month, value) DO UPDATE
            SET human_clicks = r.human_clicks + excluded.human_clicks, bot_clicks = r.bot_clicks + excluded.bot_clicks)
        SELECT count(*) FROM w
        """;

    /// <summary>The keys (session ids, and addresses per link only) of the clicks numbered in ($1, $2], with their link's scopes.</summary>
    private const string WindowKeys = $"""
        keys AS (
            SELECT c.tracking_id, {HourOfClick} AS hour, k.kind, hll_hash_text(k.key) AS hash, c.is_bot,
                   l.job_id, l.application_id, l.link_function
            FROM link_clicks c
            LEFT JOIN link_tracking l ON l.tracking_id = c.tracking_id
            CROSS JOIN LATERAL (VALUES ('s', c.session_id), ('i', host(c.ip_address))) AS k(kind, key)
            WHERE c.seq > $1 AND c.seq <= $2 AND k.key IS NOT NULL)
        """;

    /// <summary>The scopes a key counts in: its link's own, and for sessions of a link that is no decoy the shared ones.</summary>
    private const string KeyScopes = """
        CROSS JOIN LATERAL (VALUES
            ('l:' || k.tracking_id, true),
            (CASE WHEN k.kind = 's' AND k.link_function <> 'Decoy' THEN '*' END, true),
            (CASE WHEN k.kind = 's' AND k.link_function <> 'Decoy' THEN 'j:' || k.job_id END, false),
            (CASE WHEN k.kind = 's' AND k.link_function <> 'Decoy' THEN 'a:' || k.application_id END, false),
            (CASE WHEN k.kind = 's' AND k.link_function <> 'Decoy' THEN '*/' || k.link_function END, false),
            (CASE WHEN k.kind = 's' AND k.link_function <> 'Decoy' THEN 'j:' || k.job_id || '/' || k.link_function END, false),
            (CASE WHEN k.kind = 's' AND k.link_function <> 'Decoy' THEN 'a:' || k.application_id || '/' || k.link_function END, false)
        ) AS s(scope, hourly)
        """;

    private const string UnionSketches = "human_keys = hll_union(x.human_keys, excluded.human_keys), all_keys = hll_union(x.all_keys, excluded.all_keys)";

    /// <summary>
    /// The window's keys added to the hourly sketches (links, all links) and the daily ones (every scope); all links' and
    /// jobs' days (per function too) as they are after that, unioned into their months (a month is the union of its days:
    /// a day's whole sketch unioned again changes nothing it already held), instead of hashing the keys once more.
    /// </summary>
    private const string SketchWindow = $"""
        WITH {WindowKeys},
        scoped AS (
            SELECT s.scope, s.hourly, k.hour, k.kind, k.hash, k.is_bot FROM keys k {KeyScopes} WHERE s.scope IS NOT NULL),
        hourly AS (
            INSERT INTO link_click_sketches AS x (scope, kind, hour, human_keys, all_keys)
            SELECT scope, kind, hour,
                   coalesce(hll_add_agg(hash, {HllParameters}) FILTER (WHERE NOT is_bot), hll_empty({HllParameters})),
                   hll_add_agg(hash, {HllParameters})
            FROM scoped WHERE hourly
            GROUP BY 1, 2, 3
            ON CONFLICT (scope, kind, hour) DO UPDATE SET {UnionSketches}),
        month_days AS (
            INSERT INTO link_click_daily_sketches AS x (scope, kind, day, human_keys, all_keys)
            SELECT scope, kind, date_trunc('day', hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
                   coalesce(hll_add_agg(hash, {HllParameters}) FILTER (WHERE NOT is_bot), hll_empty({HllParameters})),
                   hll_add_agg(hash, {HllParameters})
            FROM scoped WHERE {KeepsMonths}
            GROUP BY 1, 2, 3
            ON CONFLICT (scope, kind, day) DO UPDATE SET {UnionSketches}
            RETURNING x.scope, x.kind, x.day, x.human_keys, x.all_keys),
        monthly AS (
            INSERT INTO link_click_monthly_sketches AS x (scope, kind, month, human_keys, all_keys)
            SELECT scope, kind, {MonthOfDay}, hll_union_agg(human_keys), hll_union_agg(all_keys)
            FROM month_days
            GROUP BY 1, 2, 3
            ON CONFLICT (scope, kind, month) DO UPDATE SET {UnionSketches})
        INSERT INTO link_click_daily_sketches AS x (scope, kind, day, human_keys, all_keys)
        SELECT scope, kind, date_trunc('day', hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
               coalesce(hll_add_agg(hash, {HllParameters}) FILTER (WHERE NOT is_bot), hll_empty({HllParameters})),
               hll_add_agg(hash, {HllParameters})
        FROM scoped WHERE NOT {KeepsMonths}
        GROUP BY 1, 2, 3
        ON CONFLICT (scope, kind, day) DO UPDATE SET {UnionSketches}
        """;

    /// <summary>The link-hours whose sketches corrections changed, taken (and so unmarked) by this round.</summary>
    private const string TakeMarks = "DELETE FROM link_click_sketch_marks RETURNING tracking_id, hour";

    private const string MarkSketches = """
        INSERT INTO link_click_sketch_marks (tracking_id, hour)
        SELECT DISTINCT * FROM unnest($1::text[], $2::timestamptz[]) ON CONFLICT DO NOTHING
        """;

    /// <summary>The marked link-hours' sketches, from their raw clicks as they are now.</summary>
    private const string RecomputeLinkHours = $"""
        DELETE FROM link_click_sketches x USING unnest($1::text[], $2::timestamptz[]) AS m(tracking_id, hour)
        WHERE x.scope = 'l:' || m.tracking_id AND x.hour = m.hour;
        INSERT INTO link_click_sketches (scope, kind, hour, human_keys, all_keys)
        SELECT 'l:' || c.tracking_id, k.kind, m.hour,
               coalesce(hll_add_agg(hll_hash_text(k.key), {HllParameters}) FILTER (WHERE NOT c.is_bot), hll_empty({HllParameters})),
               hll_add_agg(hll_hash_text(k.key), {HllParameters})
        FROM unnest($1::text[], $2::timestamptz[]) AS m(tracking_id, hour)
        JOIN link_clicks c ON c.tracking_id = m.tracking_id AND c.clicked_at >= m.hour AND c.clicked_at < m.hour + interval '1 hour'
        CROSS JOIN LATERAL (VALUES ('s', c.session_id), ('i', host(c.ip_address))) AS k(kind, key)
        WHERE k.key IS NOT NULL
        GROUP BY 1, 2, 3;
        """;

    /// <summary>All links' hourly session sketches of some hours, as the union of their links' (decoys left out).</summary>
    private const string AllLinksHoursFromLinks = $"""
        DELETE FROM link_click_sketches WHERE scope = '*' AND hour = ANY($1);
        INSERT INTO link_click_sketches (scope, kind, hour, human_keys, all_keys)
        SELECT '*', 's', x.hour, hll_union_agg(x.human_keys), hll_union_agg(x.all_keys)
        FROM link_click_sketches x
        JOIN link_tracking l ON x.scope = 'l:' || l.tracking_id AND l.link_function <> 'Decoy'
        WHERE x.kind = 's' AND x.hour = ANY($1)
        GROUP BY x.hour;
        """;

    /// <summary>
    /// Every daily sketch of some UTC days: each link's own and all links' from their hours, the other shared scopes
    /// from their links' days just made (a day's one sketch per link, not its 24 hours: the rebuild's union of 10 M
    /// clicks' link-hours into the scopes' days took 207 s).
    /// </summary>
    private const string DaysFromHours = $"""
        DELETE FROM link_click_daily_sketches WHERE day = ANY($1);
        INSERT INTO link_click_daily_sketches (scope, kind, day, human_keys, all_keys)
        SELECT x.scope, x.kind, {DayOfSketch}, hll_union_agg(x.human_keys), hll_union_agg(x.all_keys)
        FROM link_click_sketches x
        WHERE {DayOfSketch} = ANY($1)
        GROUP BY 1, 2, 3;
        INSERT INTO link_click_daily_sketches (scope, kind, day, human_keys, all_keys)
        SELECT s.scope, 's', x.day, hll_union_agg(x.human_keys), hll_union_agg(x.all_keys)
        FROM link_click_daily_sketches x
        JOIN link_tracking l ON x.scope = 'l:' || l.tracking_id AND l.link_function <> 'Decoy'
        {SharedScopes}
        WHERE x.kind = 's' AND s.scope IS NOT NULL AND s.scope <> '*' AND x.day = ANY($1)
        GROUP BY 1, 2, 3;
        """;

    /// <summary>
    /// The monthly session sketches of some UTC months ($1) of the scopes that keep months and hold a marked link ($2),
    /// from their daily sketches just recomputed by <see cref="DaysFromHours"/> (no other scope's days changed).
    /// </summary>
    private const string MonthsFromDays = $"""
        DELETE FROM link_click_monthly_sketches x USING {MarkedMonthScopes}
        WHERE x.scope = s.scope AND x.month = ANY($1);
        INSERT INTO link_click_monthly_sketches (scope, kind, month, human_keys, all_keys)
        SELECT x.scope, x.kind, m.month, hll_union_agg(x.human_keys), hll_union_agg(x.all_keys)
        FROM {MarkedMonthScopes}
        CROSS JOIN unnest($1::timestamptz[]) AS m(month)
        JOIN link_click_daily_sketches x ON x.scope = s.scope AND x.kind = 's' AND x.day >= m.month AND x.day < m.month + interval '1 month'
        GROUP BY 1, 2, 3;
        """;

    /// <summary>The scopes (<c>s.scope</c>) of the marked links ($2) that keep months.</summary>
    private const string MarkedMonthScopes = $"""
        (SELECT scope FROM (SELECT DISTINCT s.scope FROM link_tracking l {SharedScopes}
                            WHERE l.tracking_id = ANY($2) AND l.link_function <> 'Decoy' AND s.scope IS NOT NULL) AS k
         WHERE {KeepsMonths}) AS s
        """;

    /// <summary>The tables the rebuild fills from empty.</summary>
    private const string RebuiltTables =
        "'link_click_rollups'::regclass, 'link_click_scope_rollups'::regclass, 'link_click_daily_rollups'::regclass, " +
        "'link_click_sketches'::regclass, 'link_click_daily_sketches'::regclass" + MonthlyRebuiltTables;

    /// <summary>The monthly tables (ADR 0029) in the rebuild's list of tables whose indexes it drops and builds again.</summary>
    private const string MonthlyRebuiltTables = ", 'link_click_monthly_rollups'::regclass, 'link_click_monthly_sketches'::regclass";

    /// <summary>The monthly tables in the rebuild's <c>TRUNCATE</c> and <c>ANALYZE</c>.</summary>
    private const string MonthlyTables = ", link_click_monthly_rollups, link_click_monthly_sketches";

    /// <summary>
    /// The rebuilt tables' primary keys and indexes, as the catalogue defines them (so they never drift from the
    /// migrations), noted and dropped: tens of millions of rows go into heaps without keys, then each index is built
    /// once by a sort instead of one insertion per row. Inside the rebuild's transaction, which holds the tables
    /// exclusively since its <c>TRUNCATE</c>: no reader sees them without their keys.
    /// </summary>
    private const string DropRollupIndexes = $"""
        CREATE TEMP TABLE rebuilt_indexes ON COMMIT DROP AS
        SELECT c.conrelid::regclass::text AS owner, c.conname::text AS name, pg_get_constraintdef(c.oid) AS definition, true AS is_key
        FROM pg_constraint c
        WHERE c.conrelid IN ({RebuiltTables}) AND c.contype = 'p'
        UNION ALL
        SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), false
        FROM pg_index i
        WHERE i.indrelid IN ({RebuiltTables})
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid);
        DO $$
        DECLARE k record;
        BEGIN
            FOR k IN SELECT * FROM rebuilt_indexes ORDER BY is_key LOOP
                IF k.is_key THEN
                    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', k.owner, k.name);
                ELSE
                    EXECUTE format('DROP INDEX %s', k.name);
                END IF;
            END LOOP;
        END $$;
        """;

    /// <summary>The keys and indexes <see cref="DropRollupIndexes"/> dropped, built again from their definitions.</summary>
    private const string RestoreRollupIndexes = """
        DO $$
        DECLARE k record;
        BEGIN
            FOR k IN SELECT * FROM rebuilt_indexes ORDER BY is_key DESC LOOP
                IF k.is_key THEN
                    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', k.owner, k.name, k.definition);
                ELSE
                    EXECUTE k.definition;
                END IF;
            END LOOP;
        END $$;
        """;

    /// <summary>
    /// All links' and jobs' monthly rows and session sketches (per function too) from their daily ones: run by the rebuild after
    /// the days, and once by the migration that creates the tables (ADR 0029).
    /// </summary>
    public const string MonthsRebuildSql = $"""
        INSERT INTO link_click_monthly_rollups (scope, month, dimension, value, human_clicks, bot_clicks)
        SELECT scope, {MonthOfDay}, dimension, value, sum(human_clicks), sum(bot_clicks)
        FROM link_click_daily_rollups
        WHERE {KeepsMonths}
        GROUP BY 1, 2, 3, 4;
        INSERT INTO link_click_monthly_sketches (scope, kind, month, human_keys, all_keys)
        SELECT scope, kind, {MonthOfDay}, hll_union_agg(human_keys), hll_union_agg(all_keys)
        FROM link_click_daily_sketches
        WHERE {KeepsMonths}
        GROUP BY 1, 2, 3;
        """;

    /// <summary>
    /// The counts from the raw clicks by one <c>GROUP BY</c> (independent of the worker's statement); all links' hours
    /// from the links' hours, the links' days from their hours and the other scopes' days from the links' days; then
    /// the sketches: each link-hour's from its clicks, all links' hours and the links' days from those, the other
    /// scopes' days from the links' days (as <see cref="DaysFromHours"/>); into tables without
    /// their keys, which are built afterwards (<see cref="DropRollupIndexes"/>). Under a SHARE lock on
    /// <c>link_clicks</c>, so no writer is missed; the watermark becomes the last number handed out.
    /// </summary>
    public const string RebuildSql = $"""
        SET LOCAL work_mem = '256MB';
        SET LOCAL maintenance_work_mem = '512MB';
        LOCK TABLE link_clicks IN SHARE MODE;
        TRUNCATE link_click_rollups, link_click_scope_rollups, link_click_daily_rollups,
                 link_click_sketches, link_click_daily_sketches, link_click_sketch_marks{MonthlyTables};
        {DropRollupIndexes}
        INSERT INTO link_click_rollups (tracking_id, hour, dimension, value, human_clicks, bot_clicks)
        SELECT c.tracking_id, {HourOfClick}, d.dimension, d.value,
               count(*) FILTER (WHERE NOT c.is_bot), count(*) FILTER (WHERE c.is_bot)
        FROM link_clicks c
        CROSS JOIN LATERAL (VALUES ('source', c.click_source), ('category', c.bot_category),
                                   ('country', coalesce(c.country, '')), ('device', coalesce(c.device_type, '')),
                                   ('browser', coalesce(c.browser, '')), ('os', coalesce(c.os, ''))) AS d(dimension, value)
        GROUP BY 1, 2, 3, 4;
        INSERT INTO link_click_scope_rollups (scope, hour, dimension, value, human_clicks, bot_clicks)
        SELECT s.scope, r.hour, r.dimension, r.value, sum(r.human_clicks), sum(r.bot_clicks)
        FROM link_click_rollups r
        JOIN link_tracking l ON l.tracking_id = r.tracking_id AND l.link_function <> 'Decoy'
        CROSS JOIN LATERAL (VALUES ('*', true), ('*/' || l.link_function, false), ('j:' || l.job_id, false)) AS s(scope, all_dimensions)
        WHERE s.scope IS NOT NULL AND (s.all_dimensions OR r.dimension = 'category')
        GROUP BY 1, 2, 3, 4;
        INSERT INTO link_click_daily_rollups (scope, day, dimension, value, human_clicks, bot_clicks)
        SELECT 'l:' || tracking_id, {DayOfRollup}, dimension, value, sum(human_clicks), sum(bot_clicks)
        FROM link_click_rollups
        GROUP BY 1, 2, 3, 4;
        INSERT INTO link_click_daily_rollups (scope, day, dimension, value, human_clicks, bot_clicks)
        SELECT s.scope, d.day, d.dimension, d.value, sum(d.human_clicks), sum(d.bot_clicks)
        FROM link_click_daily_rollups d
        JOIN link_tracking l ON d.scope = 'l:' || l.tracking_id AND l.link_function <> 'Decoy'
        {SharedScopes}
        WHERE s.scope IS NOT NULL AND (s.all_dimensions OR d.dimension = 'category')
        GROUP BY 1, 2, 3, 4;
        INSERT INTO link_click_sketches (scope, kind, hour, human_keys, all_keys)
        SELECT 'l:' || c.tracking_id, k.kind, {HourOfClick},
               coalesce(hll_add_agg(hll_hash_text(k.key), {HllParameters}) FILTER (WHERE NOT c.is_bot), hll_empty({HllParameters})),
               hll_add_agg(hll_hash_text(k.key), {HllParameters})
        FROM link_clicks c
        CROSS JOIN LATERAL (VALUES ('s', c.session_id), ('i', host(c.ip_address))) AS k(kind, key)
        WHERE k.key IS NOT NULL
        GROUP BY 1, 2, 3;
        INSERT INTO link_click_sketches (scope, kind, hour, human_keys, all_keys)
        SELECT '*', 's', x.hour, hll_union_agg(x.human_keys), hll_union_agg(x.all_keys)
        FROM link_click_sketches x
        JOIN link_tracking l ON x.scope = 'l:' || l.tracking_id AND l.link_function <> 'Decoy'
        WHERE x.kind = 's'
        GROUP BY x.hour;
        INSERT INTO link_click_daily_sketches (scope, kind, day, human_keys, all_keys)
        SELECT x.scope, x.kind, {DayOfSketch}, hll_union_agg(x.human_keys), hll_union_agg(x.all_keys)
        FROM link_click_sketches x
        GROUP BY 1, 2, 3;
        INSERT INTO link_click_daily_sketches (scope, kind, day, human_keys, all_keys)
        SELECT s.scope, 's', x.day, hll_union_agg(x.human_keys), hll_union_agg(x.all_keys)
        FROM link_click_daily_sketches x
        JOIN link_tracking l ON x.scope = 'l:' || l.tracking_id AND l.link_function <> 'Decoy'
        {SharedScopes}
        WHERE x.kind = 's' AND s.scope IS NOT NULL AND s.scope <> '*'
        GROUP BY 1, 2, 3;
        {MonthsRebuildSql}
        UPDATE click_rollup_state SET rolled_seq = (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM link_clicks_seq), rolled_at = now()
        WHERE id = 1;
        {RestoreRollupIndexes}
        ANALYZE link_click_rollups, link_click_scope_rollups, link_click_daily_rollups, link_click_sketches, link_click_daily_sketches{MonthlyTables};
        SELECT count(*) FROM link_clicks;
        """;

    /// <summary>
    /// <see cref="RebuildSql"/> without the monthly tables: what the migration of ADR 0021 runs, before they exist (the
    /// migration of ADR 0029 creates them and fills them from the days).
    /// </summary>
    public static string RebuildBeforeMonthsSql => RebuildSql
        .Replace(MonthlyRebuiltTables, "", StringComparison.Ordinal)
        .Replace(MonthlyTables, "", StringComparison.Ordinal)
        .Replace(MonthsRebuildSql, "", StringComparison.Ordinal);

    /// <summary>
    /// The links' totals from their <c>category</c> rollups (<see cref="ClickLinkTotal"/>): run by <see cref="RebuildAsync"/>
    /// after <see cref="RebuildSql"/>, and once by the migration that creates the table.
    /// </summary>
    public const string TotalsRebuildSql = """
        DELETE FROM link_click_totals;
        INSERT INTO link_click_totals (tracking_id, human_clicks, bot_clicks)
        SELECT tracking_id, sum(human_clicks), sum(bot_clicks) FROM link_click_rollups WHERE dimension = 'category' GROUP BY tracking_id;
        """;

    private const string UpsertTotals = """
        INSERT INTO link_click_totals AS t (tracking_id, human_clicks, bot_clicks)
        SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[])
        ON CONFLICT (tracking_id) DO UPDATE
        SET human_clicks = t.human_clicks + excluded.human_clicks, bot_clicks = t.bot_clicks + excluded.bot_clicks
        """;

    private const string DeleteEmptyTotals = "DELETE FROM link_click_totals WHERE tracking_id = ANY($1) AND human_clicks = 0 AND bot_clicks = 0";

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

    private const string UpsertMonthlyRollups = """
        INSERT INTO link_click_monthly_rollups AS r (scope, month, dimension, value, human_clicks, bot_clicks)
        SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::int[], $6::int[])
        ON CONFLICT (scope, dimension, month, value) DO UPDATE
        SET human_clicks = r.human_clicks + excluded.human_clicks, bot_clicks = r.bot_clicks + excluded.bot_clicks
        """;

    private const string DeleteEmptyMonthlyRollups = """
        DELETE FROM link_click_monthly_rollups r
        USING unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[]) AS k(scope, month, dimension, value)
        WHERE r.scope = k.scope AND r.month = k.month AND r.dimension = k.dimension AND r.value = k.value
          AND r.human_clicks = 0 AND r.bot_clicks = 0
        """;

    private const string ReadLinks = "SELECT tracking_id, job_id, application_id, link_function FROM link_tracking WHERE tracking_id = ANY($1)";

    public string UniqueCounts => UniqueCountKinds.Estimate;

    public async Task<RollupRound?> RollUpAsync(
        DbConnection connection, TimeProvider clock, Func<long, long, CancellationToken, Task>? beforeCounting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var npgsql = (NpgsqlConnection)connection;
        (long Bound, DateTime At)? taken = null;
        for (var attempt = 0; taken is null && attempt <= BoundAttemptsWithoutWaiting; attempt++)
        {
            var wait = attempt == BoundAttemptsWithoutWaiting;
            if (attempt > 0 && !wait)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
            }

            taken = await TryBoundAsync(npgsql, wait, clock, cancellationToken);
        }

        if (taken is not { } window)
        {
            return null;
        }

        var (bound, boundAt) = window;
        var reclassifiedTo = bound;
        if (beforeCounting is not null)
        {
            var watermark = (await WatermarkAsync(connection, cancellationToken)).Watermark;
            reclassifiedTo = Math.Min(bound, watermark + MaxReclassifiedWindow);
            await beforeCounting(watermark, reclassifiedTo, cancellationToken);
        }

        await using (var transaction = await npgsql.BeginTransactionAsync(cancellationToken))
        {
            await using var lockWatermark = new NpgsqlCommand(LockWatermark, npgsql, transaction);
            var from = (long)(await lockWatermark.ExecuteScalarAsync(cancellationToken))!;
            var to = Math.Min(reclassifiedTo, from + MaxWindow);
            long clicks = 0;
            if (to > from)
            {
                await using var counts = new NpgsqlCommand(RollUpWindow, npgsql, transaction) { CommandTimeout = 0 };
                counts.Parameters.Add(new NpgsqlParameter<long> { TypedValue = from });
                counts.Parameters.Add(new NpgsqlParameter<long> { TypedValue = to });
                clicks = (long)(await counts.ExecuteScalarAsync(cancellationToken))!;
                await using var sketches = new NpgsqlCommand(SketchWindow, npgsql, transaction) { CommandTimeout = 0 };
                sketches.Parameters.Add(new NpgsqlParameter<long> { TypedValue = from });
                sketches.Parameters.Add(new NpgsqlParameter<long> { TypedValue = to });
                await sketches.ExecuteNonQueryAsync(cancellationToken);
            }

            await RecomputeMarkedAsync(npgsql, transaction, cancellationToken);

            // The round covers every click committed before its bound only when it took the whole window.
            DateTime? coveredAt = to == bound ? boundAt : null;
            await using (var advance = new NpgsqlCommand(AdvanceWatermark, npgsql, transaction))
            {
                advance.Parameters.Add(new NpgsqlParameter<long> { TypedValue = Math.Max(from, to) });
                advance.Parameters.Add(new NpgsqlParameter { Value = (object?)coveredAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
                await advance.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            var watermark = await WatermarkAsync(connection, cancellationToken);
            return watermark with { Clicks = clicks };
        }
    }

    /// <summary>
    /// The safe bound: the sequence's last value read under an <c>EXCLUSIVE</c> lock, which no writer holds while it
    /// is granted, so every number up to it is committed or never will be. Null when the lock is not to be had.
    /// </summary>
    private static async Task<(long Bound, DateTime At)?> TryBoundAsync(NpgsqlConnection connection, bool wait, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            if (wait)
            {
                await ExecuteAsync(connection, transaction, LockTimeout, cancellationToken);
            }

            await using var command = new NpgsqlCommand(wait ? Bound : BoundNoWait, connection, transaction);
            var bound = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            // Taken while the lock is held: every click committed before this instant is numbered up to the bound.
            var at = clock.GetUtcNow().UtcDateTime;
            await transaction.CommitAsync(cancellationToken);
            return (bound, at);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            await transaction.RollbackAsync(cancellationToken);
            return null;
        }
    }

    public async Task<long> BacklogAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(Backlog, (NpgsqlConnection)connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<RollupRound> WatermarkAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ReadWatermark, (NpgsqlConnection)connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new RollupRound(reader.GetInt64(0), DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc), 0);
    }

    public async Task<IReadOnlySet<Guid>> RolledUpAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyCollection<Guid> clickIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clickIds);
        var rolled = new HashSet<Guid>();
        await using var command = new NpgsqlCommand(RolledUp, (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = clickIds.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rolled.Add(reader.GetGuid(0));
        }

        return rolled;
    }

    public async Task ApplyAsync(DbConnection connection, DbTransaction transaction, ClickRollupDelta delta, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delta);
        var rollups = delta.Rollups();
        var marks = delta.SketchMarks();
        if (rollups.Count == 0 && marks.Count == 0)
        {
            return;
        }

        var npgsql = (NpgsqlConnection)connection;
        var npgsqlTransaction = (NpgsqlTransaction)transaction;
        var links = await ReadLinksAsync(npgsql, npgsqlTransaction, rollups.Select(r => r.TrackingId).Distinct(StringComparer.Ordinal).ToArray(), cancellationToken);
        var scopeRollups = RollupScopes.Of(rollups, links);
        var dailyRollups = DailyRollups.Of(rollups, scopeRollups);
        await using var batch = new NpgsqlBatch(npgsql, npgsqlTransaction);
        AddChanges(batch, UpsertRollups, DeleteEmptyRollups, rollups.Select(CountsRow.Of).ToList());
        var totals = LinkTotals.Of(rollups);
        if (totals.Count > 0)
        {
            batch.BatchCommands.Add(Parameters(
                new NpgsqlBatchCommand(UpsertTotals),
                (totals.Select(t => t.TrackingId).ToArray(), NpgsqlDbType.Text),
                (totals.Select(t => t.Human).ToArray(), NpgsqlDbType.Bigint),
                (totals.Select(t => t.Bot).ToArray(), NpgsqlDbType.Bigint)));
            var emptied = totals.Where(t => t.Human < 0 || t.Bot < 0).Select(t => t.TrackingId).ToArray();
            if (emptied.Length > 0)
            {
                batch.BatchCommands.Add(Parameters(new NpgsqlBatchCommand(DeleteEmptyTotals), (emptied, NpgsqlDbType.Text)));
            }

            // After the links' rollups above: a correction can move a link's last counted hour either way.
            batch.BatchCommands.Add(Parameters(
                new NpgsqlBatchCommand(PostgresLinkCensus.CorrectLastHoursSql), (totals.Select(t => t.TrackingId).ToArray(), NpgsqlDbType.Text)));
        }

        AddChanges(batch, UpsertScopeRollups, DeleteEmptyScopeRollups, scopeRollups.Where(r => RollupScopes.KeepsHours(r.Scope, r.Dimension)).Select(CountsRow.Of).ToList());
        AddChanges(batch, UpsertDailyRollups, DeleteEmptyDailyRollups, dailyRollups.Select(CountsRow.Of).ToList());
        AddChanges(batch, UpsertMonthlyRollups, DeleteEmptyMonthlyRollups, MonthlyRollups.Of(dailyRollups).Select(CountsRow.Of).ToList());
        if (marks.Count > 0)
        {
            batch.BatchCommands.Add(Parameters(
                new NpgsqlBatchCommand(MarkSketches),
                (marks.Select(m => m.TrackingId).ToArray(), NpgsqlDbType.Text),
                (marks.Select(m => m.Hour).ToArray(), NpgsqlDbType.TimestampTz)));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<long> RebuildAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var npgsql = (NpgsqlConnection)connection;
        await using var transaction = await npgsql.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(RebuildSql, npgsql, transaction) { CommandTimeout = 0 };
        var clicks = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        await using var totals = new NpgsqlCommand(TotalsRebuildSql, npgsql, transaction) { CommandTimeout = 0 };
        await totals.ExecuteNonQueryAsync(cancellationToken);
        await using var census = new NpgsqlCommand(
            $"{PostgresLinkCensus.LastHoursSql};{PostgresLinkCensus.ReconcileSql}", npgsql, transaction) { CommandTimeout = 0 };
        await census.ExecuteNonQueryAsync(cancellationToken);
        await using var funnel = new NpgsqlCommand(Outcomes.PostgresApplicationFunnel.ResetSql, npgsql, transaction) { CommandTimeout = 0 };
        await funnel.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return clicks;
    }

    /// <summary>The sketches of the link-hours that corrections marked: each from its raw clicks, then all links' hours and the days from the hourly sketches, then the months of the scopes that keep them from the days.</summary>
    private static async Task RecomputeMarkedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var links = new List<string>();
        var hours = new List<DateTime>();
        await using (var take = new NpgsqlCommand(TakeMarks, connection, transaction))
        await using (var reader = await take.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                links.Add(reader.GetString(0));
                hours.Add(DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc));
            }
        }

        if (links.Count == 0)
        {
            return;
        }

        var distinctHours = hours.Distinct().ToArray();
        var days = distinctHours.Select(DailyRollups.DayOf).Distinct().ToArray();
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var sql in RecomputeLinkHours.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            batch.BatchCommands.Add(Parameters(new NpgsqlBatchCommand(sql), (links.ToArray(), NpgsqlDbType.Text), (hours.ToArray(), NpgsqlDbType.TimestampTz)));
        }

        foreach (var sql in AllLinksHoursFromLinks.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            batch.BatchCommands.Add(Parameters(new NpgsqlBatchCommand(sql), (distinctHours, NpgsqlDbType.TimestampTz)));
        }

        foreach (var sql in DaysFromHours.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            batch.BatchCommands.Add(Parameters(new NpgsqlBatchCommand(sql), (days, NpgsqlDbType.TimestampTz)));
        }

        var months = days.Select(MonthlyRollups.MonthOf).Distinct().ToArray();
        var markedLinks = links.Distinct(StringComparer.Ordinal).ToArray();
        foreach (var sql in MonthsFromDays.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            batch.BatchCommands.Add(Parameters(new NpgsqlBatchCommand(sql), (months, NpgsqlDbType.TimestampTz), (markedLinks, NpgsqlDbType.Text)));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<Dictionary<string, LinkFacts>> ReadLinksAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string[] trackingIds, CancellationToken cancellationToken)
    {
        var links = new Dictionary<string, LinkFacts>(StringComparer.Ordinal);
        if (trackingIds.Length == 0)
        {
            return links;
        }

        await using var command = new NpgsqlCommand(ReadLinks, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = trackingIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var trackingId = reader.GetString(0);
            links[trackingId] = new LinkFacts(
                trackingId, reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.IsDBNull(2) ? null : reader.GetGuid(2), reader.GetString(3));
        }

        return links;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
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

    private static NpgsqlBatchCommand Parameters(NpgsqlBatchCommand command, params (Array Values, NpgsqlDbType Type)[] arrays)
    {
        foreach (var (values, type) in arrays)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = values, NpgsqlDbType = NpgsqlDbType.Array | type });
        }

        return command;
    }
}
