using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace LinkTracking.Infrastructure.Clicks;

/// <summary>
/// The stored clicks of some applications and origins inside some windows of time (<see cref="NeighbourWindows"/>):
/// what the burst and decoy rules run over (<see cref="ClickReclassifier"/>). One implementation per provider, chosen
/// in DI.
/// </summary>
public interface INeighbourClicks
{
    Task<List<NeighbourClick>> FindAsync(
        LinkTrackingDbContext db, IReadOnlyList<NeighbourWindows.Window> windows, Guid[] applications, CancellationToken cancellationToken);
}

/// <summary>A stored click near a written one, with what the rules need of it and of its link.</summary>
public sealed record NeighbourClick(
    Guid Id, string TrackingId, DateTime ClickedAt, string Origin, string? Signals, Guid ApplicationId, string LinkFunction);

public sealed class PostgresNeighbourClicks : INeighbourClicks
{
    /// <summary>
    /// PostgreSQL: every window in one statement — <c>unnest</c> of the windows joined to <c>link_clicks</c>, one range
    /// read of the <c>(origin, clicked_at)</c> index per window and partition.
    /// </summary>
    public async Task<List<NeighbourClick>> FindAsync(
        LinkTrackingDbContext db, IReadOnlyList<NeighbourWindows.Window> windows, Guid[] applications, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT c.id, c.tracking_id, c.clicked_at, c.origin, c.signals, l.application_id, l.link_function
            FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) AS w(origin, from_at, to_at)
            JOIN link_clicks c ON c.origin = w.origin AND c.clicked_at >= w.from_at AND c.clicked_at <= w.to_at
            JOIN link_tracking l ON l.tracking_id = c.tracking_id
            WHERE l.application_id = ANY($4)
            """;
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.Add(new NpgsqlParameter { Value = windows.Select(w => w.Origin).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = windows.Select(w => w.From).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter { Value = windows.Select(w => w.To).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter { Value = applications, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
            var neighbours = new List<NeighbourClick>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                neighbours.Add(new NeighbourClick(
                    reader.GetGuid(0), reader.GetString(1), reader.GetDateTime(2), reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetGuid(5), reader.GetString(6)));
            }

            return neighbours;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

public sealed class PortableNeighbourClicks : INeighbourClicks
{
    /// <summary>Other providers (SQLite): the windows as one <c>OR</c> of index ranges per <see cref="NeighbourWindows.MaxPerQuery"/>.</summary>
    public async Task<List<NeighbourClick>> FindAsync(
        LinkTrackingDbContext db, IReadOnlyList<NeighbourWindows.Window> windows, Guid[] applications, CancellationToken cancellationToken)
    {
        var neighbours = new List<NeighbourClick>();
        var apps = applications.Select(a => (Guid?)a).ToList();
        foreach (var chunk in windows.Chunk(NeighbourWindows.MaxPerQuery))
        {
            neighbours.AddRange((await (
                    from c in db.Clicks.AsNoTracking().Where(NeighbourWindows.Predicate(chunk))
                    join l in db.Links on c.TrackingId equals l.TrackingId
                    where apps.Contains(l.ApplicationId)
                    select new { c.Id, c.TrackingId, c.ClickedAt, c.Origin, c.Signals, l.ApplicationId, l.LinkFunction })
                .ToListAsync(cancellationToken))
                .Select(n => new NeighbourClick(n.Id, n.TrackingId.Value, n.ClickedAt, n.Origin!, n.Signals, n.ApplicationId!.Value, n.LinkFunction)));
        }

        return neighbours;
    }

    /// <summary>A click to reclassify around: its application, origin and time.</summary>
    private sealed record Anchor(Guid ApplicationId, string Origin, DateTime ClickedAt);
}
