using System.Globalization;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Links;
using LinkTracking.Domain.Outcomes;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace LinkTracking.Infrastructure.Outcomes;

/// <summary>
/// PostgreSQL (ADR 0027): the funnel of every application kept incrementally, so the report's funnel reads a few
/// hundred counted rows instead of joining every link, its totals and every application's outcomes.
/// <list type="bullet">
/// <item>Triggers write a <b>mark</b> (<c>application_funnel_marks</c>, an append-only log) in the writer's own
/// transaction whenever an application's facts may change: a link created, an outcome recorded or deleted, a link's
/// totals row appearing or going, or its human clicks crossing zero. The mark becomes visible exactly when the change
/// does, so whatever writes it (the rollup worker, a correction, an erasure, the API) cannot be forgotten.</item>
/// <item><see cref="RefreshAsync"/> takes the marks it sees (deleting exactly those rows), and in the same
/// transaction, with statements that start after the take and so see every change the marks stand for, recomputes
/// those applications' facts from their links, the links' totals and their outcomes
/// (<c>application_funnel</c>, <c>application_function_funnel</c>), and moves the counts per hour the application
/// was sent (<c>application_funnel_counts</c>, <c>application_function_funnel_counts</c>) by the difference between
/// the old facts and the new. Refreshes take a transaction-level advisory lock, so two never apply the same
/// difference; a mark written while a refresh runs stays for the next one.</item>
/// <item><see cref="ReadAsync"/> sums the counts of the hours from the period's start on, plus the facts of the
/// applications sent in the part of an hour before it (a time zone half an hour off UTC).</item>
/// </list>
/// The rollup worker's node refreshes every <c>Analytics:RollupInterval</c>; a read refreshes first, so a report
/// right after an outcome or a counted click shows it.
/// </summary>
public sealed class PostgresApplicationFunnel(NpgsqlDataSource dataSource, IOptions<DatabaseOptions> options)
{
    /// <summary>Key of the advisory lock that keeps refreshes apart (0x4C5446554E4C, "LTFUNL").</summary>
    public const string AdvisoryLock = "83924840959564";

    /// <summary>The most applications one refresh transaction recomputes; a longer backlog takes several.</summary>
    public const int BatchSize = 10_000;

    /// <summary>The tables, the triggers that mark, and a mark for every application that has links (the first refresh computes them all).</summary>
    public const string CreateSql = """
        CREATE TABLE application_funnel (
            application_id uuid NOT NULL,
            sent_at timestamp with time zone NOT NULL,
            fetched boolean NOT NULL,
            opened boolean NOT NULL,
            replied boolean NOT NULL,
            interview boolean NOT NULL,
            offer boolean NOT NULL,
            CONSTRAINT pk_application_funnel PRIMARY KEY (application_id));
        CREATE INDEX ix_application_funnel_sent_at ON application_funnel (sent_at);
        CREATE TABLE application_function_funnel (
            application_id uuid NOT NULL,
            link_function character varying(50) NOT NULL,
            sent_at timestamp with time zone NOT NULL,
            opened boolean NOT NULL,
            replied boolean NOT NULL,
            interview boolean NOT NULL,
            CONSTRAINT pk_application_function_funnel PRIMARY KEY (application_id, link_function));
        CREATE INDEX ix_application_function_funnel_sent_at ON application_function_funnel (sent_at);
        CREATE TABLE application_funnel_counts (
            sent_hour timestamp with time zone NOT NULL,
            fetched boolean NOT NULL,
            opened boolean NOT NULL,
            replied boolean NOT NULL,
            interview boolean NOT NULL,
            offer boolean NOT NULL,
            applications integer NOT NULL,
            CONSTRAINT pk_application_funnel_counts PRIMARY KEY (sent_hour, fetched, opened, replied, interview, offer));
        CREATE TABLE application_function_funnel_counts (
            sent_hour timestamp with time zone NOT NULL,
            link_function character varying(50) NOT NULL,
            opened boolean NOT NULL,
            replied boolean NOT NULL,
            interview boolean NOT NULL,
            applications integer NOT NULL,
            CONSTRAINT pk_application_function_funnel_counts PRIMARY KEY (sent_hour, link_function, opened, replied, interview));
        CREATE TABLE application_funnel_marks (
            seq bigint GENERATED ALWAYS AS IDENTITY,
            application_id uuid NOT NULL,
            CONSTRAINT pk_application_funnel_marks PRIMARY KEY (seq));

        CREATE FUNCTION application_funnel_mark() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                IF OLD.application_id IS NOT NULL THEN
                    INSERT INTO application_funnel_marks (application_id) VALUES (OLD.application_id);
                END IF;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                IF NEW.application_id IS NOT NULL THEN
                    INSERT INTO application_funnel_marks (application_id) VALUES (NEW.application_id);
                END IF;
            END IF;
            RETURN NULL;
        END $$;
        CREATE FUNCTION application_funnel_mark_totals() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE changed text;
        BEGIN
            IF TG_OP = 'DELETE' THEN
                changed := OLD.tracking_id;
            ELSE
                changed := NEW.tracking_id;
            END IF;
            INSERT INTO application_funnel_marks (application_id)
            SELECT application_id FROM link_tracking WHERE tracking_id = changed AND application_id IS NOT NULL;
            RETURN NULL;
        END $$;
        CREATE TRIGGER application_funnel_marks AFTER INSERT OR DELETE OR UPDATE OF application_id, link_function, created_at
            ON link_tracking FOR EACH ROW EXECUTE FUNCTION application_funnel_mark();
        CREATE TRIGGER application_funnel_marks AFTER INSERT OR DELETE OR UPDATE OF application_id, stage
            ON application_outcomes FOR EACH ROW EXECUTE FUNCTION application_funnel_mark();
        CREATE TRIGGER application_funnel_marks AFTER INSERT OR DELETE
            ON link_click_totals FOR EACH ROW EXECUTE FUNCTION application_funnel_mark_totals();
        CREATE TRIGGER application_funnel_crossings AFTER UPDATE ON link_click_totals FOR EACH ROW
            WHEN ((OLD.human_clicks > 0) IS DISTINCT FROM (NEW.human_clicks > 0)
               OR (OLD.human_clicks + OLD.bot_clicks > 0) IS DISTINCT FROM (NEW.human_clicks + NEW.bot_clicks > 0))
            EXECUTE FUNCTION application_funnel_mark_totals();
        INSERT INTO application_funnel_marks (application_id)
        SELECT DISTINCT application_id FROM link_tracking WHERE application_id IS NOT NULL;
        """;

    /// <summary>What <see cref="CreateSql"/> made, dropped (the migration's <c>Down</c>).</summary>
    public const string DropSql = """
        DROP TRIGGER application_funnel_marks ON link_tracking;
        DROP TRIGGER application_funnel_marks ON application_outcomes;
        DROP TRIGGER application_funnel_marks ON link_click_totals;
        DROP TRIGGER application_funnel_crossings ON link_click_totals;
        DROP FUNCTION application_funnel_mark();
        DROP FUNCTION application_funnel_mark_totals();
        DROP TABLE application_funnel, application_function_funnel, application_funnel_counts,
                   application_function_funnel_counts, application_funnel_marks;
        """;

    /// <summary>
    /// Run by <c>rollups rebuild</c>: the facts and counts emptied and every application marked once, so the next
    /// refresh computes them all again. The marks already there go first: the rebuild's own rewrite of the links'
    /// totals wrote two per link (a delete and an insert), which would triple the refresh's work. A writer's mark
    /// still uncommitted is not seen, so it stays.
    /// </summary>
    public const string ResetSql = $"""
        SELECT pg_advisory_xact_lock({AdvisoryLock});
        TRUNCATE application_funnel, application_function_funnel, application_funnel_counts, application_function_funnel_counts;
        DELETE FROM application_funnel_marks;
        INSERT INTO application_funnel_marks (application_id)
        SELECT DISTINCT application_id FROM link_tracking WHERE application_id IS NOT NULL;
        """;

    private const string SentHour = "date_trunc('hour', sent_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'";

    /// <summary>
    /// The first marks up to a bound found once (an index read of the key), then one range: no plan of it can go
    /// quadratic, whatever the statistics say of a log that swings between empty and a rebuild's 100,000 marks (a
    /// <c>seq IN (… LIMIT n)</c> planned as a nested loop over a table thought empty ran past 30 s). A lower mark still
    /// uncommitted is not seen, so not deleted: the next refresh takes it.
    /// </summary>
    private const string TakeMarks = """
        DELETE FROM application_funnel_marks
        WHERE seq <= (SELECT max(seq) FROM (SELECT seq FROM application_funnel_marks ORDER BY seq LIMIT $1) AS first)
        RETURNING application_id
        """;

    /// <summary>
    /// The applications' facts as their links, the links' totals and their outcomes say now; the counts moved by new
    /// minus old (the old read from the statement's snapshot, before its own upsert). An application that no longer
    /// has a link (only decoys) leaves the facts. Every join starts from the ids and probes an index (the removal too,
    /// not an anti-join against a CTE the planner may think has one row), so a batch stays linear in its applications.
    /// </summary>
    private const string RefreshApplications = $"""
        WITH ids AS (SELECT DISTINCT unnest($1::uuid[]) AS application_id),
        links AS (
            SELECT l.application_id, l.created_at,
                   coalesce(t.human_clicks + t.bot_clicks > 0, false) AS fetched, coalesce(t.human_clicks > 0, false) AS opened
            FROM ids
            JOIN link_tracking l ON l.application_id = ids.application_id AND l.link_function <> '{LinkFunction.Decoy}'
            LEFT JOIN link_click_totals t ON t.tracking_id = l.tracking_id),
        stages AS (
            SELECT o.application_id,
                   bool_or(o.stage = ANY($2)) AS replied, bool_or(o.stage = ANY($3)) AS interview, bool_or(o.stage = ANY($4)) AS offer
            FROM ids JOIN application_outcomes o ON o.application_id = ids.application_id
            GROUP BY o.application_id),
        fresh AS (
            SELECT a.application_id, a.sent_at, a.fetched, a.opened,
                   coalesce(s.replied, false) AS replied, coalesce(s.interview, false) AS interview, coalesce(s.offer, false) AS offer
            FROM (SELECT application_id, min(created_at) AS sent_at, bool_or(fetched) AS fetched, bool_or(opened) AS opened
                  FROM links GROUP BY application_id) AS a
            LEFT JOIN stages s ON s.application_id = a.application_id),
        stale AS (
            SELECT f.application_id, f.sent_at, f.fetched, f.opened, f.replied, f.interview, f.offer
            FROM application_funnel f JOIN ids ON ids.application_id = f.application_id),
        kept AS (
            INSERT INTO application_funnel AS f (application_id, sent_at, fetched, opened, replied, interview, offer)
            SELECT * FROM fresh
            ON CONFLICT (application_id) DO UPDATE
            SET sent_at = excluded.sent_at, fetched = excluded.fetched, opened = excluded.opened,
                replied = excluded.replied, interview = excluded.interview, offer = excluded.offer),
        gone AS (
            DELETE FROM application_funnel f USING ids
            WHERE f.application_id = ids.application_id
              AND NOT EXISTS (SELECT 1 FROM link_tracking l WHERE l.application_id = f.application_id AND l.link_function <> '{LinkFunction.Decoy}'))
        INSERT INTO application_funnel_counts AS c (sent_hour, fetched, opened, replied, interview, offer, applications)
        SELECT {SentHour}, fetched, opened, replied, interview, offer, sum(change)
        FROM (SELECT *, 1 AS change FROM fresh UNION ALL SELECT *, -1 FROM stale) AS x
        GROUP BY 1, 2, 3, 4, 5, 6
        HAVING sum(change) <> 0
        ON CONFLICT (sent_hour, fetched, opened, replied, interview, offer) DO UPDATE
        SET applications = c.applications + excluded.applications
        """;

    /// <summary>The same per application and link function (whether a person opened that function's link), after <see cref="RefreshApplications"/>.</summary>
    private const string RefreshFunctions = $"""
        WITH ids AS (SELECT DISTINCT unnest($1::uuid[]) AS application_id),
        fresh AS (
            SELECT l.application_id, l.link_function, f.sent_at, bool_or(coalesce(t.human_clicks > 0, false)) AS opened, f.replied, f.interview
            FROM ids
            JOIN application_funnel f ON f.application_id = ids.application_id
            JOIN link_tracking l ON l.application_id = ids.application_id AND l.link_function <> '{LinkFunction.Decoy}'
            LEFT JOIN link_click_totals t ON t.tracking_id = l.tracking_id
            GROUP BY l.application_id, l.link_function, f.sent_at, f.replied, f.interview),
        stale AS (
            SELECT x.application_id, x.link_function, x.sent_at, x.opened, x.replied, x.interview
            FROM application_function_funnel x JOIN ids ON ids.application_id = x.application_id),
        kept AS (
            INSERT INTO application_function_funnel AS x (application_id, link_function, sent_at, opened, replied, interview)
            SELECT * FROM fresh
            ON CONFLICT (application_id, link_function) DO UPDATE
            SET sent_at = excluded.sent_at, opened = excluded.opened, replied = excluded.replied, interview = excluded.interview),
        gone AS (
            DELETE FROM application_function_funnel x USING ids
            WHERE x.application_id = ids.application_id
              AND NOT EXISTS (SELECT 1 FROM link_tracking l WHERE l.application_id = x.application_id AND l.link_function = x.link_function))
        INSERT INTO application_function_funnel_counts AS c (sent_hour, link_function, opened, replied, interview, applications)
        SELECT {SentHour}, link_function, opened, replied, interview, sum(change)
        FROM (SELECT *, 1 AS change FROM fresh UNION ALL SELECT *, -1 FROM stale) AS x
        GROUP BY 1, 2, 3, 4, 5
        HAVING sum(change) <> 0
        ON CONFLICT (sent_hour, link_function, opened, replied, interview) DO UPDATE
        SET applications = c.applications + excluded.applications
        """;

    /// <summary>Applications sent from $1 on: the counted hours from $2 (the first whole hour) on, and the facts of those sent in [$1, $2).</summary>
    private const string ReadApplications = """
        SELECT fetched, opened, sum(applications)::int,
               coalesce(sum(applications) FILTER (WHERE replied), 0)::int,
               coalesce(sum(applications) FILTER (WHERE interview), 0)::int,
               coalesce(sum(applications) FILTER (WHERE offer), 0)::int
        FROM (SELECT fetched, opened, replied, interview, offer, applications FROM application_funnel_counts WHERE sent_hour >= $2
              UNION ALL
              SELECT fetched, opened, replied, interview, offer, 1 FROM application_funnel WHERE sent_at >= $1 AND sent_at < $2) AS x
        GROUP BY fetched, opened
        HAVING sum(applications) > 0
        """;

    private const string ReadFunctions = """
        SELECT link_function, opened, sum(applications)::int,
               coalesce(sum(applications) FILTER (WHERE replied), 0)::int,
               coalesce(sum(applications) FILTER (WHERE interview), 0)::int
        FROM (SELECT link_function, opened, replied, interview, applications FROM application_function_funnel_counts WHERE sent_hour >= $2
              UNION ALL
              SELECT link_function, opened, replied, interview, 1 FROM application_function_funnel WHERE sent_at >= $1 AND sent_at < $2) AS x
        GROUP BY link_function, opened
        HAVING sum(applications) > 0
        """;

    /// <summary>Before any link: the start of an all-time read.</summary>
    private static readonly DateTime Epoch = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly TimeSpan _timeout = options.Value.QueryTimeout > TimeSpan.Zero ? options.Value.QueryTimeout : TimeSpan.FromSeconds(15);

    private int ClientTimeout => (int)Math.Ceiling(_timeout.TotalSeconds) + 5;

    /// <summary>
    /// Recomputes the marked applications, <see cref="BatchSize"/> a transaction, until no mark is left. With
    /// <paramref name="wait"/> it waits for a refresh running elsewhere and then does what is left (a read that must see
    /// every change before it); without, it leaves the work to that refresh. Returns the applications recomputed.
    /// </summary>
    public async Task<int> RefreshAsync(bool wait, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var refreshed = 0;
        while (true)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // The server gives up first (statement_timeout), so a statement never outlives its client and keeps the
            // advisory lock; the client's own timeout is only a backstop.
            var milliseconds = ((long)Math.Ceiling(_timeout.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
            await using (var settings = new NpgsqlCommand($"SET LOCAL statement_timeout = {milliseconds}", connection, transaction))
            {
                await settings.ExecuteNonQueryAsync(cancellationToken);
            }

            var lockSql = wait ? $"SELECT pg_advisory_xact_lock({AdvisoryLock}), true" : $"SELECT true, pg_try_advisory_xact_lock({AdvisoryLock})";
            await using (var gate = new NpgsqlCommand(lockSql, connection, transaction) { CommandTimeout = ClientTimeout })
            {
                await using var reader = await gate.ExecuteReaderAsync(cancellationToken);
                if (!await reader.ReadAsync(cancellationToken) || !reader.GetBoolean(1))
                {
                    return refreshed;
                }
            }

            var taken = new HashSet<Guid>();
            var marks = 0;
            await using (var take = new NpgsqlCommand(TakeMarks, connection, transaction) { CommandTimeout = ClientTimeout })
            {
                take.Parameters.Add(new NpgsqlParameter<int> { TypedValue = BatchSize });
                await using var reader = await take.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    taken.Add(reader.GetGuid(0));
                    marks++;
                }
            }

            if (taken.Count > 0)
            {
                var ids = taken.ToArray();
                await using (var applications = new NpgsqlCommand(RefreshApplications, connection, transaction) { CommandTimeout = ClientTimeout })
                {
                    applications.Parameters.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
                    applications.Parameters.Add(new NpgsqlParameter { Value = OutcomeStage.ReachedReply.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                    applications.Parameters.Add(new NpgsqlParameter { Value = OutcomeStage.ReachedInterview.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                    applications.Parameters.Add(new NpgsqlParameter { Value = OutcomeStage.ReachedOffer.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                    await applications.ExecuteNonQueryAsync(cancellationToken);
                }

                await using (var functions = new NpgsqlCommand(RefreshFunctions, connection, transaction) { CommandTimeout = ClientTimeout })
                {
                    functions.Parameters.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
                    await functions.ExecuteNonQueryAsync(cancellationToken);
                }
            }

            await transaction.CommitAsync(cancellationToken);
            refreshed += taken.Count;
            if (marks < BatchSize)
            {
                return refreshed;
            }
        }
    }

    /// <summary>
    /// The applications sent from <paramref name="sentFrom"/> on (all when null) split by engagement, and per link
    /// function, as <see cref="IOutcomeFunnelQueries"/> answers them; on <paramref name="connection"/> (a bounded read's).
    /// </summary>
    public static async Task<OutcomeFunnelFacts> ReadAsync(NpgsqlConnection connection, DateTime? sentFrom, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var from = sentFrom is { } start ? DateTime.SpecifyKind(start, DateTimeKind.Utc) : Epoch;
        var firstHour = new DateTime(from.Ticks - (from.Ticks % TimeSpan.TicksPerHour), DateTimeKind.Utc);
        if (firstHour < from)
        {
            firstHour = firstHour.AddHours(1);
        }

        var engagement = new Dictionary<(bool Fetched, bool Opened), OutcomeCounts>();
        await using (var command = new NpgsqlCommand(ReadApplications, connection))
        {
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = from, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = firstHour, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                engagement[(reader.GetBoolean(0), reader.GetBoolean(1))] =
                    new OutcomeCounts(reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5));
            }
        }

        var functions = new Dictionary<(string Function, bool Opened), OutcomeCounts>();
        await using (var command = new NpgsqlCommand(ReadFunctions, connection))
        {
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = from, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = firstHour, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                functions[(reader.GetString(0), reader.GetBoolean(1))] =
                    new OutcomeCounts(reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), 0);
            }
        }

        OutcomeCounts Engagement(bool fetched, bool opened) => engagement.GetValueOrDefault((fetched, opened)) ?? OutcomeCounts.None;
        OutcomeCounts Function(string function, bool opened) => functions.GetValueOrDefault((function, opened)) ?? OutcomeCounts.None;

        return new OutcomeFunnelFacts(
            Engagement(true, true),
            Engagement(true, false),
            Engagement(false, false),
            [.. functions.Keys
                .Select(k => k.Function)
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .Select(f => new FunctionEngagement(f, Function(f, true), Function(f, false)))]);
    }
}
