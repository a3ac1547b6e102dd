using System.Data.Common;
using LinkTracking.Domain.Links;
using Npgsql;
using NpgsqlTypes;

namespace LinkTracking.Infrastructure.Analytics;

/// <summary>What <see cref="PostgresLinkCensus"/> keeps of all links but decoys.</summary>
/// <param name="Functions">Links per function: all of them and the active ones.</param>
/// <param name="Jobs">Distinct jobs.</param>
/// <param name="Applications">Distinct applications.</param>
/// <param name="LinksClicked">Links whose last counted click (human, or any with bots) is in an hour from the read's start on.</param>
public sealed record LinkCensus(IReadOnlyDictionary<string, (int Links, int Active)> Functions, int Jobs, int Applications, int LinksClicked);

/// <summary>
/// PostgreSQL (ADR 0028): the link statistics of the report (all links) kept incrementally, so a report at 100,000
/// applications reads a few dozen rows instead of counting every link. The same pattern as the funnel (ADR 0027):
/// <list type="bullet">
/// <item>Triggers append a <b>change</b> (<c>link_census_changes</c>) in the writer's own transaction: a link
/// created (+1 for its function and state, with its job and application), its active flag switched (−1 old state,
/// +1 new), a link's last counted hour moved (<c>link_click_totals.last_hour</c> and <c>last_human_hour</c>, which the
/// rollup worker, corrections and the rebuild keep): −1 at the old hour, +1 at the new one. Decoys append nothing.
/// Appends never contend: no two writers update one counter row.</item>
/// <item><see cref="FoldAsync"/> (the worker, every <c>Analytics:RollupInterval</c>) deletes the changes it sees and
/// adds them to the kept counts in one statement, so each change is counted once. A job or an application counts as new
/// when every one of its visible links is among the changes folded: a link and its change commit together, so in one
/// snapshot the links not among the changes are exactly those folded before.</item>
/// <item><see cref="ReadAsync"/> sums the kept counts and the changes not yet folded in one statement: exact as of
/// its snapshot, whether or not a fold has run.</item>
/// <item><see cref="ReconcileSql"/> appends the difference between the counts from the links themselves and what is
/// kept: the migration fills the census with it, and <c>rollups rebuild</c> heals it.</item>
/// </list>
/// Links are never deleted (the domain has no deletion; a link removed by hand is healed by the next rebuild).
/// </summary>
public sealed class PostgresLinkCensus(NpgsqlDataSource dataSource)
{
    /// <summary>Key of the advisory lock that keeps folds apart (0x4C5443454E53, "LTCENS").</summary>
    public const string AdvisoryLock = "83924840777299";

    private const string Decoy = LinkFunction.Decoy;

    /// <summary>The links' last counted hours, from their category rollups (null when none): the migration and the rebuild.</summary>
    public const string LastHoursSql = """
        UPDATE link_click_totals t SET last_hour = r.last_hour, last_human_hour = r.last_human_hour
        FROM (SELECT tracking_id, max(hour) AS last_hour, max(hour) FILTER (WHERE human_clicks > 0) AS last_human_hour
              FROM link_click_rollups WHERE dimension = 'category' GROUP BY tracking_id) AS r
        WHERE r.tracking_id = t.tracking_id
          AND (t.last_hour IS DISTINCT FROM r.last_hour OR t.last_human_hour IS DISTINCT FROM r.last_human_hour)
        """;

    /// <summary>The last counted hours of some links ($1), after corrections moved their counts either way.</summary>
    public const string CorrectLastHoursSql = """
        UPDATE link_click_totals t
        SET last_hour = (SELECT max(r.hour) FROM link_click_rollups r
                         WHERE r.tracking_id = t.tracking_id AND r.dimension = 'category'),
            last_human_hour = (SELECT max(r.hour) FROM link_click_rollups r
                               WHERE r.tracking_id = t.tracking_id AND r.dimension = 'category' AND r.human_clicks > 0)
        WHERE t.tracking_id = ANY($1)
        """;

    /// <summary>
    /// The counts per function and state, of distinct jobs and applications, and of links per last counted hour
    /// (<c>human</c>: the last human click's hour; otherwise the last click's), the log of changes and the triggers
    /// that append to it. Then the census filled by <see cref="ReconcileSql"/>.
    /// </summary>
    public const string CreateSql = $"""
        ALTER TABLE link_click_totals ADD COLUMN last_hour timestamp with time zone, ADD COLUMN last_human_hour timestamp with time zone;
        CREATE TABLE link_census_functions (
            link_function character varying(50) NOT NULL,
            is_active boolean NOT NULL,
            links bigint NOT NULL,
            CONSTRAINT pk_link_census_functions PRIMARY KEY (link_function, is_active));
        CREATE TABLE link_census_members (
            kind "char" NOT NULL,
            members bigint NOT NULL,
            CONSTRAINT pk_link_census_members PRIMARY KEY (kind));
        CREATE TABLE link_census_hours (
            hour timestamp with time zone NOT NULL,
            human boolean NOT NULL,
            links bigint NOT NULL,
            CONSTRAINT pk_link_census_hours PRIMARY KEY (hour, human));
        CREATE TABLE link_census_changes (
            seq bigint GENERATED ALWAYS AS IDENTITY,
            kind "char" NOT NULL,
            link_function character varying(50),
            is_active boolean,
            job_id uuid,
            application_id uuid,
            hour timestamp with time zone,
            human boolean,
            change bigint NOT NULL,
            CONSTRAINT pk_link_census_changes PRIMARY KEY (seq));

        CREATE FUNCTION link_census_link() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.link_function = '{Decoy}' THEN
                RETURN NULL;
            END IF;
            IF TG_OP = 'INSERT' THEN
                INSERT INTO link_census_changes (kind, link_function, is_active, job_id, application_id, change)
                VALUES ('l', NEW.link_function, NEW.is_active, NEW.job_id, NEW.application_id, 1);
            ELSE
                INSERT INTO link_census_changes (kind, link_function, is_active, change)
                VALUES ('l', OLD.link_function, OLD.is_active, -1), ('l', NEW.link_function, NEW.is_active, 1);
            END IF;
            RETURN NULL;
        END $$;
        CREATE FUNCTION link_census_hours() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            link text;
        BEGIN
            IF TG_OP = 'DELETE' THEN
                link := OLD.tracking_id;
            ELSE
                link := NEW.tracking_id;
            END IF;
            IF NOT EXISTS (SELECT 1 FROM link_tracking WHERE tracking_id = link AND link_function <> '{Decoy}') THEN
                RETURN NULL;
            END IF;
            IF TG_OP <> 'INSERT' THEN
                INSERT INTO link_census_changes (kind, hour, human, change)
                SELECT 'h', h.hour, h.human, -1
                FROM (VALUES (OLD.last_hour, false), (OLD.last_human_hour, true)) AS h(hour, human) WHERE h.hour IS NOT NULL;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                INSERT INTO link_census_changes (kind, hour, human, change)
                SELECT 'h', h.hour, h.human, 1
                FROM (VALUES (NEW.last_hour, false), (NEW.last_human_hour, true)) AS h(hour, human) WHERE h.hour IS NOT NULL;
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER link_census AFTER INSERT ON link_tracking FOR EACH ROW EXECUTE FUNCTION link_census_link();
        CREATE TRIGGER link_census_activity AFTER UPDATE OF is_active ON link_tracking FOR EACH ROW
            WHEN (OLD.is_active IS DISTINCT FROM NEW.is_active) EXECUTE FUNCTION link_census_link();
        CREATE TRIGGER link_census AFTER INSERT OR DELETE ON link_click_totals FOR EACH ROW EXECUTE FUNCTION link_census_hours();
        CREATE TRIGGER link_census_hours AFTER UPDATE OF last_hour, last_human_hour ON link_click_totals FOR EACH ROW
            WHEN (OLD.last_hour IS DISTINCT FROM NEW.last_hour OR OLD.last_human_hour IS DISTINCT FROM NEW.last_human_hour)
            EXECUTE FUNCTION link_census_hours();
        {LastHoursSql};
        {ReconcileSql};
        """;

    /// <summary>What <see cref="CreateSql"/> made, dropped (the migration's <c>Down</c>).</summary>
    public const string DropSql = """
        DROP TRIGGER link_census ON link_tracking;
        DROP TRIGGER link_census_activity ON link_tracking;
        DROP TRIGGER link_census ON link_click_totals;
        DROP TRIGGER link_census_hours ON link_click_totals;
        DROP FUNCTION link_census_link();
        DROP FUNCTION link_census_hours();
        DROP TABLE link_census_functions, link_census_members, link_census_hours, link_census_changes;
        ALTER TABLE link_click_totals DROP COLUMN last_hour, DROP COLUMN last_human_hour;
        """;

    /// <summary>
    /// The jobs (<c>j</c>) and applications (<c>a</c>) that the changes <c>c</c> make new: every visible link of one is
    /// among them (probed through the <c>(job_id|application_id, link_function)</c> index, at most as many links as
    /// the changes hold of it, plus one).
    /// </summary>
    private const string NewMembers = $"""
        SELECT m.kind, count(*) AS members
        FROM (SELECT 'j'::"char" AS kind, c.job_id AS id, count(*) AS links FROM c WHERE c.kind = 'l' AND c.job_id IS NOT NULL GROUP BY c.job_id
              UNION ALL
              SELECT 'a', c.application_id, count(*) FROM c WHERE c.kind = 'l' AND c.application_id IS NOT NULL GROUP BY c.application_id) AS m
        WHERE CASE m.kind
                  WHEN 'j' THEN (SELECT count(*) FROM (SELECT 1 FROM link_tracking l WHERE l.job_id = m.id AND l.link_function <> '{Decoy}'
                                                       LIMIT m.links + 1) AS x)
                  ELSE (SELECT count(*) FROM (SELECT 1 FROM link_tracking l WHERE l.application_id = m.id AND l.link_function <> '{Decoy}'
                                              LIMIT m.links + 1) AS x)
              END = m.links
        GROUP BY m.kind
        """;

    /// <summary>
    /// One statement: the changes it sees deleted and added to the counts (zeroed hour rows are removed by the next
    /// statement of the fold).
    /// </summary>
    private const string Fold = $"""
        WITH c AS (DELETE FROM link_census_changes RETURNING kind, link_function, is_active, job_id, application_id, hour, human, change),
        functions AS (
            INSERT INTO link_census_functions AS f (link_function, is_active, links)
            SELECT link_function, is_active, sum(change) FROM c WHERE kind = 'l' GROUP BY 1, 2
            ON CONFLICT (link_function, is_active) DO UPDATE SET links = f.links + excluded.links),
        hours AS (
            INSERT INTO link_census_hours AS h (hour, human, links)
            SELECT hour, human, sum(change) FROM c WHERE kind = 'h' GROUP BY 1, 2 HAVING sum(change) <> 0
            ON CONFLICT (hour, human) DO UPDATE SET links = h.links + excluded.links),
        members AS (
            {NewMembers}
            UNION ALL
            SELECT kind, sum(change) FROM c WHERE kind IN ('j', 'a') GROUP BY kind)
        INSERT INTO link_census_members AS k (kind, members)
        SELECT kind, sum(members) FROM members GROUP BY kind
        ON CONFLICT (kind) DO UPDATE SET members = k.members + excluded.members;
        DELETE FROM link_census_hours WHERE links = 0
        """;

    /// <summary>
    /// The kept counts plus the changes not yet folded, in one snapshot. $1: the start of the period (hours from it on
    /// count a link as clicked), $2: whether the last human click counts (bots left out) or the last of any.
    /// Rows: <c>f</c> per function and state, <c>j</c> and <c>a</c> the distinct jobs and applications, <c>c</c> the links clicked.
    /// </summary>
    private const string Read = $"""
        WITH c AS (SELECT kind, link_function, is_active, job_id, application_id, hour, human, change FROM link_census_changes)
        SELECT 'f' AS item, link_function, is_active, sum(links)::bigint
        FROM (SELECT link_function, is_active, links FROM link_census_functions
              UNION ALL SELECT link_function, is_active, change FROM c WHERE kind = 'l') AS x
        GROUP BY link_function, is_active
        UNION ALL
        SELECT kind::text, NULL, NULL, sum(members)::bigint
        FROM (SELECT kind, members FROM link_census_members
              UNION ALL SELECT kind, change FROM c WHERE kind IN ('j', 'a')
              UNION ALL ({NewMembers})) AS x
        GROUP BY kind
        UNION ALL
        SELECT 'c', NULL, NULL, coalesce(sum(links), 0)::bigint
        FROM (SELECT links FROM link_census_hours WHERE human = $2 AND hour >= $1
              UNION ALL SELECT change FROM c WHERE kind = 'h' AND human = $2 AND hour >= $1) AS x
        """;

    /// <summary>
    /// One statement: what the links and their totals say minus what is kept (folded and not), appended as changes. A
    /// writer still uncommitted is in neither side of this snapshot, and its own change comes later.
    /// </summary>
    public const string ReconcileSql = $"""
        WITH c AS (SELECT kind, link_function, is_active, job_id, application_id, hour, human, change FROM link_census_changes),
        functions AS (
            SELECT link_function, is_active, sum(links) AS links
            FROM (SELECT link_function, is_active, count(*) AS links FROM link_tracking WHERE link_function <> '{Decoy}' GROUP BY 1, 2
                  UNION ALL SELECT link_function, is_active, -links FROM link_census_functions
                  UNION ALL SELECT link_function, is_active, -change FROM c WHERE kind = 'l') AS x
            GROUP BY 1, 2 HAVING sum(links) <> 0),
        hours AS (
            SELECT hour, human, sum(links) AS links
            FROM (SELECT h.hour, h.human, count(*) AS links
                  FROM link_click_totals t
                  JOIN link_tracking l ON l.tracking_id = t.tracking_id AND l.link_function <> '{Decoy}'
                  CROSS JOIN LATERAL (VALUES (t.last_hour, false), (t.last_human_hour, true)) AS h(hour, human)
                  WHERE h.hour IS NOT NULL
                  GROUP BY 1, 2
                  UNION ALL SELECT hour, human, -links FROM link_census_hours
                  UNION ALL SELECT hour, human, -change FROM c WHERE kind = 'h') AS x
            GROUP BY 1, 2 HAVING sum(links) <> 0),
        members AS (
            SELECT kind, sum(members) AS members
            FROM (SELECT 'j'::"char" AS kind, count(DISTINCT job_id) AS members FROM link_tracking WHERE link_function <> '{Decoy}'
                  UNION ALL SELECT 'a', count(DISTINCT application_id) FROM link_tracking WHERE link_function <> '{Decoy}'
                  UNION ALL SELECT kind, -members FROM link_census_members
                  UNION ALL SELECT kind, -change FROM c WHERE kind IN ('j', 'a')
                  UNION ALL SELECT kind, -members FROM ({NewMembers}) AS n) AS x
            GROUP BY 1 HAVING sum(members) <> 0)
        INSERT INTO link_census_changes (kind, link_function, is_active, hour, human, change)
        SELECT 'l'::"char", link_function, is_active, NULL, NULL, links FROM functions
        UNION ALL SELECT 'h'::"char", NULL, NULL, hour, human, links FROM hours
        UNION ALL SELECT kind, NULL, NULL, NULL, NULL, members FROM members
        """;

    /// <summary>Folds the changes unless a fold runs elsewhere (it takes them). Returns whether it ran.</summary>
    public async Task<bool> FoldAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var gate = new NpgsqlCommand($"SELECT pg_try_advisory_xact_lock({AdvisoryLock})", connection, transaction))
        {
            if (!(bool)(await gate.ExecuteScalarAsync(cancellationToken))!)
            {
                return false;
            }
        }

        await using (var fold = new NpgsqlCommand(Fold, connection, transaction))
        {
            await fold.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The census as of one snapshot, on <paramref name="connection"/> (a bounded read's).</summary>
    public static async Task<LinkCensus> ReadAsync(DbConnection connection, DateTime? clickedFrom, bool includeBots, CancellationToken cancellationToken)
    {
        var from = clickedFrom is { } start ? DateTime.SpecifyKind(start, DateTimeKind.Utc) : DateTime.MinValue;
        await using var command = new NpgsqlCommand(Read, (NpgsqlConnection)connection);
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = from, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = !includeBots });
        var functions = new Dictionary<string, (int Links, int Active)>(StringComparer.Ordinal);
        int jobs = 0, applications = 0, clicked = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var count = checked((int)reader.GetInt64(3));
            switch (reader.GetString(0))
            {
                case "f" when count != 0:
                    var function = reader.GetString(1);
                    var (links, active) = functions.GetValueOrDefault(function);
                    functions[function] = (links + count, reader.GetBoolean(2) ? active + count : active);
                    break;
                case "j":
                    jobs = count;
                    break;
                case "a":
                    applications = count;
                    break;
                case "c":
                    clicked = count;
                    break;
            }
        }

        return new LinkCensus(functions, jobs, applications, clicked);
    }
}
