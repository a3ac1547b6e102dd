using System.Net;
using LinkTracking.Domain.Clicks;
using Npgsql;
using NpgsqlTypes;

namespace LinkTracking.Infrastructure.Clicks;

/// <summary>
/// One statement per batch: <c>INSERT … SELECT FROM unnest(arrays) ON CONFLICT DO NOTHING</c>. Twelve array
/// parameters whatever the batch size, one round trip, one commit.
/// </summary>
public sealed class PostgresClickBatchWriter(NpgsqlDataSource dataSource) : IClickBatchWriter
{
    private const string Sql = """
        INSERT INTO link_clicks (id, tracking_id, clicked_at, ip_address, user_agent, referrer_url, session_id,
                                 click_source, metadata, event_id, is_bot, bot_reason)
        SELECT id, tracking_id, clicked_at, ip_address, user_agent, referrer_url, session_id,
               click_source, metadata::jsonb, event_id, is_bot, bot_reason
        FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
             AS t(id, tracking_id, clicked_at, ip_address, user_agent, referrer_url, session_id,
                  click_source, metadata, event_id, is_bot, bot_reason)
        ON CONFLICT DO NOTHING
        """;

    public async Task WriteAsync(IReadOnlyList<LinkClick> clicks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        var n = clicks.Count;
        var ids = new Guid[n];
        var trackingIds = new string[n];
        var clickedAt = new DateTime[n];
        var ips = new IPAddress?[n];
        var userAgents = new string?[n];
        var referrers = new string?[n];
        var sessions = new string?[n];
        var sources = new string[n];
        var metadata = new string?[n];
        var eventIds = new string?[n];
        var isBot = new bool[n];
        var botReasons = new string?[n];
        for (var i = 0; i < n; i++)
        {
            var c = clicks[i];
            ids[i] = c.Id;
            trackingIds[i] = c.TrackingId.Value;
            clickedAt[i] = c.ClickedAt;
            ips[i] = c.IpAddress;
            userAgents[i] = c.UserAgent;
            referrers[i] = c.ReferrerUrl;
            sessions[i] = c.SessionId;
            sources[i] = c.ClickSource;
            metadata[i] = c.Metadata;
            eventIds[i] = c.EventId;
            isBot[i] = c.IsBot;
            botReasons[i] = c.BotReason;
        }

        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = trackingIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = clickedAt, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = ips, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Inet });
        command.Parameters.Add(new NpgsqlParameter { Value = userAgents, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = referrers, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = sessions, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = sources, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = metadata, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = eventIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = isBot, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean });
        command.Parameters.Add(new NpgsqlParameter { Value = botReasons, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
