using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Persistence;
using LinkTracking.Infrastructure.Persistence.Configurations;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace LinkTracking.Infrastructure.Clicks;

/// <summary>
/// The clicks to reclassify around: those the rollup worker is about to count (numbered in
/// (<see cref="FromSeq"/>, <see cref="ToSeq"/>], ADR 0021), or some clicks by id.
/// </summary>
public sealed record ClickAnchors(long FromSeq, long ToSeq, IReadOnlyList<Guid>? Ids)
{
    public static ClickAnchors Window(long fromSeq, long toSeq) => new(fromSeq, toSeq, null);

    public static ClickAnchors Of(IReadOnlyList<Guid> ids) => new(0, 0, ids);
}

/// <summary>
/// The after-the-fact signals (<see cref="AfterTheFactRules"/>: bursts, decoys) that stored clicks of the same
/// applications and origins near some anchors earn and do not carry yet — by click, in the rules' order (decoy before
/// burst). Only these few clicks are loaded and changed by <see cref="ClickReclassifier"/>. One implementation per
/// provider, chosen in DI: PostgreSQL evaluates the rules in one set-based statement; other providers read the
/// neighbours and run <see cref="AfterTheFactRules"/>.
/// </summary>
public interface IEarnedSignals
{
    Task<Dictionary<Guid, List<string>>> FindAsync(
        LinkTrackingDbContext db, ClickAnchors anchors, ClickClassificationOptions options, CancellationToken cancellationToken);
}

/// <summary>
/// PostgreSQL: the rules as one statement over the window, nothing but the result leaves the server. First, only the
/// anchors that can earn a signal go on: a click on the decoy; a click of an application and origin with a decoy hit
/// within <c>DecoyWindow</c> (the window's applications' decoy clicks, read once per window by the decoy links, and
/// sorted in among the anchors: each anchor's nearest hit before and after it by window functions, not a scan of the
/// hits per anchor, which a mail scanner fetching every link of thousands of emails, decoys included, made quadratic);
/// a click with another click of its origin within <c>BurstWindow</c> — among the window's own clicks first (a window
/// function over them sorted by origin and time), and only for a click without such a neighbour there, one probe of the
/// <c>(origin, clicked_at)</c> index for clicks stored before (a person's session of two to four clicks is its own
/// neighbour: on the analytics benchmark's traffic every click of a 200,000-click round had one, and without their
/// probes the round's statement went from 7.7 s to 2.5-3.0 s). Every click that earns a signal meets one of these, so nothing is missed (bench/RESULTS.md
/// has the figures of each step). Origin and time are compared as rows, which only the <c>(origin, clicked_at)</c>
/// index serves: on fresh clicks without statistics the planner otherwise took the <c>clicked_at</c> index and read
/// every click of ± the window per probe. Those anchors' times, per application and origin, merge into islands of ±
/// reach (<c>DecoyWindow</c> for a decoy's candidates, only <c>BurstWindow</c> for a burst's: a crawler's network sends
/// thousands of clicks an hour) (as <see cref="NeighbourWindows"/> does); each island is one range read of the
/// <c>(origin, clicked_at)</c> index. Only groups that can earn a signal go further: a decoy hit in the group (window
/// functions find each click's nearest hit before and after it), or enough distinct links for a burst (the links within
/// <c>BurstWindow</c> ahead of each of the group's clicks; a click is in a burst when such a window starts at most
/// <c>BurstWindow</c> before it). Groups are sized, and bursts found, by window functions over the sorted neighbours,
/// never by joining them with themselves: the planner guesses one row for a materialised CTE and chose nested loops,
/// quadratic in the neighbours, so where every click had a neighbour of its origin (the analytics benchmark's traffic)
/// a round of 200,000 clicks ran for minutes. The islands are read by a lateral subquery kept from being flattened
/// (<c>OFFSET 0</c>), so each stays an index range read whatever the planner guesses of their number. That is the same
/// set of clicks <see cref="AfterTheFactRules"/> finds: every click in a window of the burst length that spans enough
/// links lies in such a window that starts at one of the clicks.
/// </summary>
public sealed class PostgresEarnedSignals : IEarnedSignals
{
    private const string WindowAnchors = "c.seq > $2 AND c.seq <= $3";
    private const string IdAnchors = "c.id = ANY($1)";

    private const string Sql = $"""
        WITH a AS MATERIALIZED (
            SELECT c.id, c.origin, l.application_id AS app, c.clicked_at AS t, l.link_function = '{LinkFunction.Decoy}' AS on_decoy
            FROM link_clicks c JOIN link_tracking l ON l.tracking_id = c.tracking_id
            WHERE c.origin IS NOT NULL AND l.application_id IS NOT NULL
              AND @anchors),
        decoy_hits AS MATERIALIZED (
            SELECT d.origin, dl.application_id AS app, d.clicked_at AS t
            FROM link_tracking dl JOIN link_clicks d ON d.tracking_id = dl.tracking_id
            WHERE $5 AND dl.link_function = '{LinkFunction.Decoy}' AND d.origin IS NOT NULL
              AND dl.application_id IN (SELECT app FROM a)
              AND d.clicked_at >= (SELECT min(t) FROM a) - $6::interval AND d.clicked_at <= (SELECT max(t) FROM a) + $6::interval),
        marked AS (
            SELECT x.id, x.origin, x.app, x.t, x.on_decoy, x.hit,
                   coalesce(x.t - lag(x.t) OVER o <= $8::interval, false) OR coalesce(lead(x.t) OVER o - x.t <= $8::interval, false) AS paired,
                   max(x.t) FILTER (WHERE x.hit) OVER (PARTITION BY x.origin, x.app ORDER BY x.t
                       ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS hit_before,
                   min(x.t) FILTER (WHERE x.hit) OVER (PARTITION BY x.origin, x.app ORDER BY x.t
                       ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS hit_after
            FROM (SELECT a.id, a.origin, a.app, a.t, a.on_decoy, false AS hit FROM a
                  UNION ALL
                  SELECT NULL::uuid, h.origin, h.app, h.t, true, true FROM decoy_hits h) AS x
            WINDOW o AS (PARTITION BY x.origin ORDER BY x.t)),
        w AS (
            SELECT origin, app, t, CASE WHEN decoy THEN $4::interval ELSE $8::interval END AS r
            FROM (
                SELECT a.origin, a.app, a.t,
                       $5 AND (a.on_decoy OR a.t - a.hit_before <= $6::interval OR a.hit_after - a.t <= $6::interval) AS decoy,
                       $7 AND NOT a.on_decoy AND CASE WHEN a.paired THEN true ELSE EXISTS (SELECT 1 FROM link_clicks o
                           WHERE (o.origin, o.clicked_at) >= (a.origin, a.t - $8::interval)
                             AND (o.origin, o.clicked_at) <= (a.origin, a.t + $8::interval) AND o.id <> a.id) END AS burst
                FROM marked AS a
                WHERE NOT a.hit) AS x
            WHERE decoy OR burst),
        starts AS (
            SELECT origin, app, t, r,
                   CASE WHEN t - lag(t) OVER (PARTITION BY origin, app, r ORDER BY t) <= 2 * r THEN 0 ELSE 1 END AS starts
            FROM w),
        islands AS (
            SELECT origin, app, t, r, sum(starts) OVER (PARTITION BY origin, app, r ORDER BY t ROWS UNBOUNDED PRECEDING) AS island
            FROM starts),
        ranges AS (
            SELECT origin, app, min(t) - r AS from_at, max(t) + r AS to_at
            FROM islands GROUP BY origin, app, r, island),
        n AS MATERIALIZED (
            SELECT DISTINCT ON (c.id) c.id, c.tracking_id, c.t, r.origin, r.app, c.signals, c.on_decoy
            FROM ranges r
            CROSS JOIN LATERAL (
                SELECT c.id, c.tracking_id, c.clicked_at AS t, c.signals, l.link_function = '{LinkFunction.Decoy}' AS on_decoy
                FROM link_clicks c JOIN link_tracking l ON l.tracking_id = c.tracking_id
                WHERE c.origin = r.origin AND c.clicked_at >= r.from_at AND c.clicked_at <= r.to_at AND l.application_id = r.app
                OFFSET 0) c),
        grouped AS (
            SELECT n.*,
                   bool_or(n.on_decoy) OVER g AS has_decoy,
                   max(n.link_rank) FILTER (WHERE NOT n.on_decoy) OVER g AS links
            FROM (SELECT n.*, dense_rank() OVER (PARTITION BY origin, app, on_decoy ORDER BY tracking_id) AS link_rank FROM n) AS n
            WINDOW g AS (PARTITION BY n.origin, n.app)),
        near_hits AS (
            SELECT id, t, signals,
                   max(t) FILTER (WHERE on_decoy) OVER (PARTITION BY origin, app ORDER BY t, id
                       ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS hit_before,
                   min(t) FILTER (WHERE on_decoy) OVER (PARTITION BY origin, app ORDER BY t, id
                       ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS hit_after
            FROM grouped
            WHERE $5 AND has_decoy),
        decoys AS (
            SELECT id, signals FROM near_hits
            WHERE t - hit_before <= $6::interval OR hit_after - t <= $6::interval),
        ahead AS (
            SELECT id, origin, app, t, signals,
                   array_agg(tracking_id) OVER (PARTITION BY origin, app ORDER BY t
                       RANGE BETWEEN CURRENT ROW AND $8::interval FOLLOWING) AS links_ahead
            FROM grouped
            WHERE $7 AND NOT on_decoy AND links >= $9),
        burst_starts AS (
            SELECT id, origin, app, t, signals,
                   (SELECT count(DISTINCT x) FROM unnest(links_ahead) AS x) >= $9 AS starts_burst
            FROM ahead),
        bursts AS (
            SELECT id, signals
            FROM (SELECT id, signals,
                         bool_or(starts_burst) OVER (PARTITION BY origin, app ORDER BY t
                             RANGE BETWEEN $8::interval PRECEDING AND CURRENT ROW) AS in_burst
                  FROM burst_starts) AS b
            WHERE in_burst)
        SELECT id, 0 AS rule FROM decoys WHERE NOT coalesce(string_to_array(signals, ',') @> ARRAY['{ClickSignals.Decoy}'], false)
        UNION ALL
        SELECT id, 1 AS rule FROM bursts WHERE NOT coalesce(string_to_array(signals, ',') @> ARRAY['{ClickSignals.Burst}'], false)
        """;

    public async Task<Dictionary<Guid, List<string>>> FindAsync(
        LinkTrackingDbContext db, ClickAnchors anchors, ClickClassificationOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        ArgumentNullException.ThrowIfNull(options);
        var reach = options.DecoyWindow > options.BurstWindow ? options.DecoyWindow : options.BurstWindow;
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // Two statements, not one with a CASE: the window's must be a range read of the seq index.
            await using var command = new NpgsqlCommand(Sql.Replace("@anchors", anchors.Ids is null ? WindowAnchors : IdAnchors, StringComparison.Ordinal), connection);
            if (anchors.Ids is null)
            {
                // The worker's window is bounded (MaxReclassifiedWindow) and runs in the background: no command timeout.
                command.CommandTimeout = 0;
            }

            command.Parameters.Add(new NpgsqlParameter { Value = (object?)anchors.Ids?.ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = anchors.FromSeq });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = anchors.ToSeq });
            command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = reach });
            command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = options.DecoyRule });
            command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = options.DecoyWindow });
            command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = options.BurstRule && options.BurstMinLinks > 1 });
            command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = options.BurstWindow });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = options.BurstMinLinks });
            var earned = new Dictionary<Guid, List<string>>();
            var found = new List<(Guid Id, int Rule)>();
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    found.Add((reader.GetGuid(0), reader.GetInt32(1)));
                }
            }

            // A click can earn both (a burst that also hit the decoy): decoy first, as the rules give them.
            foreach (var (id, rule) in found.OrderBy(f => f.Rule))
            {
                (earned.TryGetValue(id, out var signals) ? signals : earned[id] = []).Add(rule == 0 ? ClickSignals.Decoy : ClickSignals.Burst);
            }

            return earned;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

/// <summary>
/// Other providers (SQLite): the anchors, then their neighbours as one <c>OR</c> of index ranges per
/// <see cref="NeighbourWindows.MaxPerQuery"/>, then <see cref="AfterTheFactRules"/> over each application and origin.
/// </summary>
public sealed class PortableEarnedSignals : IEarnedSignals
{
    public async Task<Dictionary<Guid, List<string>>> FindAsync(
        LinkTrackingDbContext db, ClickAnchors anchors, ClickClassificationOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        ArgumentNullException.ThrowIfNull(options);
        var anchored = await Anchors(db, anchors).ToListAsync(cancellationToken);
        var earned = new Dictionary<Guid, List<string>>();
        if (anchored.Count == 0)
        {
            return earned;
        }

        var reach = options.DecoyWindow > options.BurstWindow ? options.DecoyWindow : options.BurstWindow;
        var windows = NeighbourWindows.Of(anchored.Select(a => (a.Origin, a.ClickedAt)), reach);
        var applications = anchored.Select(a => (Guid?)a.ApplicationId).Distinct().ToList();
        var neighbours = new List<Neighbour>();
        foreach (var chunk in windows.Chunk(NeighbourWindows.MaxPerQuery))
        {
            neighbours.AddRange(await (
                    from c in db.Clicks.AsNoTracking().Where(NeighbourWindows.Predicate(chunk))
                    join l in db.Links on c.TrackingId equals l.TrackingId
                    where applications.Contains(l.ApplicationId)
                    select new Neighbour(c.Id, c.TrackingId.Value, c.ClickedAt, c.Origin!, c.Signals, l.ApplicationId!.Value, l.LinkFunction))
                .ToListAsync(cancellationToken));
        }

        foreach (var group in neighbours.GroupBy(n => (n.ApplicationId, n.Origin)))
        {
            var clicks = group
                .Select(n => new OriginClick(n.Id, n.TrackingId, n.ClickedAt, LinkFunction.IsDecoy(n.LinkFunction)))
                .ToList();
            var signalsOf = group.ToDictionary(n => n.Id, n => n.Signals);
            foreach (var (id, signal) in AfterTheFactRules.Find(clicks, options))
            {
                if (!ClickSignals.Split(signalsOf[id]).Contains(signal, StringComparer.Ordinal))
                {
                    (earned.TryGetValue(id, out var signals) ? signals : earned[id] = []).Add(signal);
                }
            }
        }

        return earned;
    }

    private static IQueryable<Anchor> Anchors(LinkTrackingDbContext db, ClickAnchors anchors)
    {
        var clicks = db.Clicks.AsNoTracking();
        if (anchors.Ids is { } ids)
        {
            var list = ids.ToList();
            clicks = clicks.Where(c => list.Contains(c.Id));
        }
        else
        {
            clicks = clicks.Where(c => EF.Property<long>(c, LinkClickConfiguration.SeqColumn) > anchors.FromSeq
                                       && EF.Property<long>(c, LinkClickConfiguration.SeqColumn) <= anchors.ToSeq);
        }

        return from c in clicks
               join l in db.Links on c.TrackingId equals l.TrackingId
               where l.ApplicationId != null && c.Origin != null
               select new Anchor(l.ApplicationId!.Value, c.Origin!, c.ClickedAt);
    }

    /// <summary>A click to reclassify around: its application, origin and time.</summary>
    private sealed record Anchor(Guid ApplicationId, string Origin, DateTime ClickedAt);

    /// <summary>A stored click near an anchor, with what the rules need of it and of its link.</summary>
    private sealed record Neighbour(Guid Id, string TrackingId, DateTime ClickedAt, string Origin, string? Signals, Guid ApplicationId, string LinkFunction);
}
