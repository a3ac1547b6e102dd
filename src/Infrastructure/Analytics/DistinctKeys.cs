using System.Globalization;
using System.Text.Json;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Analytics.Rollups;
using LinkTracking.Infrastructure.Clicks;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace LinkTracking.Infrastructure.Analytics;

/// <summary>
/// Distinct sessions and addresses of a scope (ADR 0021): HyperLogLog estimates on PostgreSQL
/// (<see cref="PostgresDistinctKeys"/>), exact counts on SQLite (<see cref="SqliteDistinctKeys"/>). Periods end now.
/// </summary>
public interface IDistinctKeys
{
    /// <summary>Distinct keys of <paramref name="kind"/> with counted clicks on the scope's links (of <paramref name="function"/> when given) since <paramref name="from"/>.</summary>
    Task<int> CountAsync(LinkScope scope, string? function, DateTime? from, string kind, bool includeBots, CancellationToken cancellationToken);

    /// <summary>Distinct sessions per local day of a link or of all links; each day's hours are [First, Next).</summary>
    Task<Dictionary<DateOnly, int>> SessionsPerDayAsync(
        LinkScope scope, IReadOnlyList<(DateOnly Day, DateTime First, DateTime Next)> days, bool includeBots, CancellationToken cancellationToken);
}

/// <summary>
/// PostgreSQL: the union of a period's sketches — its whole UTC months from <c>link_click_monthly_sketches</c> (all
/// links and jobs, per function too, ADR 0029), its other whole UTC days from <c>link_click_daily_sketches</c>, the hours
/// before its first whole day from <c>link_click_sketches</c> (a link's or all links' own; for a job, an application
/// or a function, those of its links) — and the union's cardinality. A year of a link is 366 sketches, of all links or
/// a job at most 13 months and 31 days.
/// </summary>
public sealed class PostgresDistinctKeys(LinkTrackingDbContext db) : IDistinctKeys
{
    public async Task<int> CountAsync(LinkScope scope, string? function, DateTime? from, string kind, bool includeBots, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var name = function is null ? DistinctScopes.Of(scope) : DistinctScopes.OfFunction(scope, function);
        var firstDay = from is { } start ? (DailyRollups.DayOf(start) == start ? start : DailyRollups.DayOf(start).AddDays(1)) : DateTime.MinValue;
        var keys = includeBots ? "all_keys" : "human_keys";
        var parameters = new List<object>
        {
            new NpgsqlParameter("scope", NpgsqlDbType.Text) { Value = name },
            new NpgsqlParameter("kind", NpgsqlDbType.Text) { Value = kind },
            new NpgsqlParameter("first_day", NpgsqlDbType.TimestampTz) { Value = AsUtc(firstDay) },
        };
        var sql = $"SELECT {keys} AS x FROM link_click_daily_sketches WHERE scope = @scope AND kind = @kind AND day >= @first_day";
        if (MonthlyRollups.KeepsMonths(name))
        {
            // All links and jobs (per function too) keep monthly sketches (ADR 0029): the period's whole months from those, the
            // days before its first whole month from the daily ones.
            parameters.Add(new NpgsqlParameter("first_month", NpgsqlDbType.TimestampTz)
            {
                Value = AsUtc(from is null ? DateTime.MinValue : MonthlyRollups.FirstWholeMonth(firstDay)),
            });
            sql += $" AND day < @first_month UNION ALL SELECT {keys} FROM link_click_monthly_sketches WHERE scope = @scope AND kind = @kind AND month >= @first_month";
        }

        if (from is { } since && since < firstDay)
        {
            parameters.Add(new NpgsqlParameter("since", NpgsqlDbType.TimestampTz) { Value = AsUtc(since) });
            if (function is null && (scope.TrackingId is not null || scope == LinkScope.All))
            {
                // A link and all links keep hourly sketches of their own.
                sql += $" UNION ALL SELECT {keys} FROM link_click_sketches WHERE scope = @scope AND kind = @kind AND hour >= @since AND hour < @first_day";
            }
            else
            {
                // Other scopes: the hourly sketches of their links.
                sql += $"""
                     UNION ALL SELECT x.{keys} FROM link_tracking l JOIN link_click_sketches x ON x.scope = 'l:' || l.tracking_id
                    WHERE x.kind = @kind AND x.hour >= @since AND x.hour < @first_day AND l.link_function <> 'Decoy'
                    """;
                if (scope.JobId is { } jobId)
                {
                    sql += " AND l.job_id = @job";
                    parameters.Add(new NpgsqlParameter("job", NpgsqlDbType.Uuid) { Value = jobId });
                }

                if (scope.ApplicationId is { } applicationId)
                {
                    sql += " AND l.application_id = @application";
                    parameters.Add(new NpgsqlParameter("application", NpgsqlDbType.Uuid) { Value = applicationId });
                }

                if (function is not null)
                {
                    sql += " AND l.link_function = @function";
                    parameters.Add(new NpgsqlParameter("function", NpgsqlDbType.Text) { Value = function });
                }
            }
        }

        var query = "SELECT coalesce(round(hll_cardinality(hll_union_agg(x))), 0)::int AS \"Value\" FROM (" + sql + ") AS t";
        return await db.Database.SqlQueryRaw<int>(query, parameters.ToArray()).SingleAsync(cancellationToken);
    }

    public async Task<Dictionary<DateOnly, int>> SessionsPerDayAsync(
        LinkScope scope, IReadOnlyList<(DateOnly Day, DateTime First, DateTime Next)> days, bool includeBots, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(days);
        var name = DistinctScopes.Of(scope);
        // A whole UTC day is one daily sketch; any other day (another zone, or the period's partial first day) the union of its hours'.
        var whole = days.Where(d => d.First == DailyRollups.DayOf(d.First) && d.Next == d.First.AddDays(1)).ToList();
        var hours = days.Except(whole).ToList();
        var result = new Dictionary<DateOnly, int>();
        if (whole.Count > 0)
        {
            var (a, b) = (AsUtc(whole.Min(d => d.First)), AsUtc(whole.Max(d => d.Next)));
            var rows = await db.Database.SqlQuery<DaySessions>($"""
                    SELECT day AS "Day", round(hll_cardinality(CASE WHEN {includeBots} THEN all_keys ELSE human_keys END))::int AS "Sessions"
                    FROM link_click_daily_sketches WHERE scope = {name} AND kind = 's' AND day >= {a} AND day < {b}
                    """)
                .ToListAsync(cancellationToken);
            var byStart = whole.ToDictionary(d => AsUtc(d.First), d => d.Day);
            foreach (var row in rows)
            {
                if (byStart.TryGetValue(AsUtc(row.Day), out var day))
                {
                    result[day] = row.Sessions;
                }
            }
        }

        if (hours.Count > 0)
        {
            var firsts = new NpgsqlParameter { Value = hours.Select(d => AsUtc(d.First)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz };
            var nexts = new NpgsqlParameter { Value = hours.Select(d => AsUtc(d.Next)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz };
            var sums = await db.Database.SqlQuery<DayIndexSessions>($"""
                    SELECT d.i::int AS "Index", round(hll_cardinality(hll_union_agg(CASE WHEN {includeBots} THEN x.all_keys ELSE x.human_keys END)))::int AS "Sessions"
                    FROM unnest({firsts}, {nexts}) WITH ORDINALITY AS d(first, next, i)
                    JOIN link_click_sketches x ON x.scope = {name} AND x.kind = 's' AND x.hour >= d.first AND x.hour < d.next
                    GROUP BY d.i
                    """)
                .ToListAsync(cancellationToken);
            foreach (var sum in sums)
            {
                result[hours[sum.Index - 1].Day] = sum.Sessions;
            }
        }

        return result;
    }

    private static DateTime AsUtc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private sealed class DaySessions
    {
        public DateTime Day { get; init; }

        public int Sessions { get; init; }
    }

    private sealed class DayIndexSessions
    {
        public int Index { get; init; }

        public int Sessions { get; init; }
    }
}

/// <summary>
/// SQLite, exact counts kept by the rollup worker (ADR 0030). A link's sessions and addresses, and the sessions of a
/// shared scope (all links, a job, an application, each per function): the keys whose latest hour in the scope
/// (<c>link_click_scope_keys</c>) is in the period, one index range, since every period ends now. All links'
/// sessions per whole UTC day: their counts (<c>link_click_day_sessions</c>). Other days (another zone, a day clipped
/// by the period, a link's): <c>COUNT(DISTINCT key)</c> over <c>link_click_uniques</c> (one row per key, link and
/// hour) of each day's hours. Meant for installs of a few million clicks.
/// </summary>
public sealed class SqliteDistinctKeys(LinkTrackingDbContext db) : IDistinctKeys
{
    public Task<int> CountAsync(LinkScope scope, string? function, DateTime? from, string kind, bool includeBots, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var name = function is null ? DistinctScopes.Of(scope) : DistinctScopes.OfFunction(scope, function);
        var since = from is { } start ? SqliteClickBatchWriter.FormatTime(start) : "";
        var counted = includeBots
            ? db.Database.SqlQuery<int>($"SELECT count(*) AS \"Value\" FROM link_click_scope_keys WHERE scope = {name} AND kind = {kind} AND last_hour >= {since}")
            : db.Database.SqlQuery<int>($"SELECT count(*) AS \"Value\" FROM link_click_scope_keys WHERE scope = {name} AND kind = {kind} AND last_human_hour >= {since}");
        return counted.SingleAsync(cancellationToken);
    }

    public async Task<Dictionary<DateOnly, int>> SessionsPerDayAsync(
        LinkScope scope, IReadOnlyList<(DateOnly Day, DateTime First, DateTime Next)> days, bool includeBots, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(days);
        var result = new Dictionary<DateOnly, int>();
        if (scope is { TrackingId: null, JobId: null, ApplicationId: null })
        {
            // All links keep their sessions per UTC day (ADR 0030): whole UTC days are read from those counts.
            var utcDays = days.Where(d => d.First.TimeOfDay == TimeSpan.Zero && d.Next == d.First.AddDays(1)).ToList();
            if (utcDays.Count > 0)
            {
                var (first, next) = (SqliteClickBatchWriter.FormatTime(utcDays.Min(d => d.First)), SqliteClickBatchWriter.FormatTime(utcDays.Max(d => d.Next)));
                var counted = await (includeBots
                        ? db.Database.SqlQuery<UtcDaySessions>($"SELECT day, sessions FROM link_click_day_sessions WHERE scope = {DistinctScopes.All} AND day >= {first} AND day < {next}")
                        : db.Database.SqlQuery<UtcDaySessions>($"SELECT day, human_sessions AS sessions FROM link_click_day_sessions WHERE scope = {DistinctScopes.All} AND day >= {first} AND day < {next}"))
                    .ToDictionaryAsync(d => d.Day, d => d.Sessions, cancellationToken);
                foreach (var day in utcDays)
                {
                    if (counted.GetValueOrDefault(day.First) is > 0 and var sessions)
                    {
                        result[day.Day] = sessions;
                    }
                }

                days = days.Except(utcDays).ToList();
            }
        }

        if (days.Count == 0)
        {
            return result;
        }

        // Each day's distinct sessions counted by SQLite over the day's hours, so no (hour, key) pair leaves the
        // database: the days' bounds and the scope's links as JSON arrays.
        var links = scope.TrackingId is { } trackingId
            ? [TrackingId.Parse(trackingId).Value]
            : await ScopeLinks(scope).Select(l => l.TrackingId.Value).ToListAsync(cancellationToken);
        var bounds = JsonSerializer.Serialize(days.Select(d => new[]
        {
            d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), SqliteClickBatchWriter.FormatTime(d.First), SqliteClickBatchWriter.FormatTime(d.Next),
        }));
        var ids = JsonSerializer.Serialize(links);
        var human = includeBots ? 0 : 1;
        var perDay = await db.Database.SqlQuery<LocalDaySessions>($"""
            SELECT json_extract(d.value, '$[0]') AS day, count(DISTINCT u.key) AS sessions
            FROM json_each({bounds}) AS d
            JOIN link_click_uniques u
              ON u.tracking_id IN (SELECT value FROM json_each({ids})) AND u.kind = 's'
             AND u.hour >= json_extract(d.value, '$[1]') AND u.hour < json_extract(d.value, '$[2]')
            WHERE u.human_clicks >= {human}
            GROUP BY 1
            """).ToListAsync(cancellationToken);
        foreach (var day in perDay)
        {
            result[DateOnly.ParseExact(day.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture)] = day.Sessions;
        }

        return result;
    }

    /// <summary>The links of a job, an application or all links (decoys count only in their own scope).</summary>
    private IQueryable<TrackedLink> ScopeLinks(LinkScope scope)
    {
        var links = db.Links.AsNoTracking().Where(l => l.LinkFunction != LinkFunction.Decoy);
        if (scope.JobId is { } jobId)
        {
            links = links.Where(l => l.JobId == jobId);
        }

        return scope.ApplicationId is { } applicationId ? links.Where(l => l.ApplicationId == applicationId) : links;
    }

    private sealed class LocalDaySessions
    {
        public string Day { get; init; } = "";

        public int Sessions { get; init; }
    }

    private sealed class UtcDaySessions
    {
        public DateTime Day { get; init; }

        public int Sessions { get; init; }
    }
}
