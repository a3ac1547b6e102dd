using System.Net;
using LinkTracking.Domain.Clicks;
using Npgsql;
using NpgsqlTypes;

namespace LinkTracking.Infrastructure.Clicks;

/// <summary>
/// Small batches: one statement, <c>INSERT … SELECT FROM unnest(arrays) ON CONFLICT DO NOTHING</c> — nineteen array
/// parameters whatever the batch size, one round trip, one commit. Large batches (the journal mover, bulk ingest):
/// binary <c>COPY</c>, the cheapest way into PostgreSQL; COPY cannot skip conflicts, so when a batch holds a click
/// that is already stored (a replay after a crash, a partner's retry) it fails as a whole and the batch is written
/// again with the INSERT, which skips it.
/// <para>
/// <c>link_clicks</c> is partitioned by <c>clicked_at</c> and keyed by <c>(id, clicked_at)</c>, which stops a replay
/// (same id, same time) but not a partner's retry of an <c>event_id</c> (same id, maybe another time). Clicks with an
/// event id therefore also claim their id in the unpartitioned <c>link_click_event_keys</c>, in the same statement
/// (INSERT) or transaction (COPY) as the click itself: a click is stored exactly when its key is new (ADR 0010).
/// </para>
/// <para>
/// The transaction holds the clicks and their event keys, nothing else: each row takes its number from
/// <c>link_clicks_seq</c> (the column's default), and the rollup worker counts it after the commit (ADR 0021).
/// </para>
/// </summary>
public sealed class PostgresClickBatchWriter(NpgsqlDataSource dataSource) : IClickBatchWriter
{
    /// <summary>From this many clicks on, a batch is copied rather than inserted.</summary>
    public const int CopyThreshold = 256;

    private const string UniqueViolation = "23505";

    private const string CopySql = """
        COPY link_clicks (id, tracking_id, clicked_at, ip_address, user_agent, referrer_url, session_id,
                          click_source, metadata, event_id, is_bot, bot_reason, bot_category, signals, origin,
                          country, device_type, browser, os, variant)
        FROM STDIN (FORMAT BINARY)
        """;

    private const string Sql = """
        WITH input AS (
            SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
                AS t(id, tracking_id, clicked_at, ip_address, user_agent, referrer_url, session_id,
                     click_source, metadata, event_id, is_bot, bot_reason, bot_category, signals, origin,
                     country, device_type, browser, os, variant)
        ),
        claimed AS (
            INSERT INTO link_click_event_keys (id, clicked_at)
            SELECT id, clicked_at FROM input WHERE event_id IS NOT NULL
            ON CONFLICT DO NOTHING
            RETURNING id, clicked_at
        )
        INSERT INTO link_clicks (id, tracking_id, clicked_at, ip_address, user_agent, referrer_url, session_id,
                                 click_source, metadata, event_id, is_bot, bot_reason, bot_category, signals, origin,
                                 country, device_type, browser, os, variant)
        SELECT id, tracking_id, clicked_at, ip_address, user_agent, referrer_url, session_id,
               click_source, metadata::jsonb, event_id, is_bot, bot_reason, bot_category, signals, origin,
               country, device_type, browser, os, variant
        FROM input
        WHERE event_id IS NULL OR (id, clicked_at) IN (SELECT id, clicked_at FROM claimed)
        ON CONFLICT DO NOTHING
        """;

    /// <summary>The COPY's claim: no <c>ON CONFLICT</c>, so a known event id fails the batch over to the INSERT.</summary>
    private const string ClaimSql = """
        INSERT INTO link_click_event_keys (id, clicked_at) SELECT * FROM unnest($1, $2)
        """;

    public async Task WriteAsync(IReadOnlyList<LinkClick> clicks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        if (clicks.Count >= CopyThreshold)
        {
            try
            {
                await CopyAsync(clicks, cancellationToken);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == UniqueViolation)
            {
                // Some of these clicks are stored already; nothing of the COPY was kept. The INSERT skips them.
            }
        }

        await InsertAsync(clicks, cancellationToken);
    }

    private async Task CopyAsync(IReadOnlyList<LinkClick> clicks, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ClaimEventKeysAsync(connection, clicks, cancellationToken);
        await using (var importer = await connection.BeginBinaryImportAsync(CopySql, cancellationToken))
        {
            await CopyRowsAsync(importer, clicks, cancellationToken);
            await importer.CompleteAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Claims the event keys of the batch's partner clicks, if it has any; throws a unique violation if one is known.</summary>
    private static async Task ClaimEventKeysAsync(NpgsqlConnection connection, IReadOnlyList<LinkClick> clicks, CancellationToken cancellationToken)
    {
        var ids = new List<Guid>();
        var times = new List<DateTime>();
        foreach (var c in clicks)
        {
            if (c.EventId is not null)
            {
                ids.Add(c.Id);
                times.Add(c.ClickedAt);
            }
        }

        if (ids.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(ClaimSql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = times, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task CopyRowsAsync(NpgsqlBinaryImporter importer, IReadOnlyList<LinkClick> clicks, CancellationToken cancellationToken)
    {
        foreach (var c in clicks)
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(c.Id, NpgsqlDbType.Uuid, cancellationToken);
            await importer.WriteAsync(c.TrackingId.Value, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(c.ClickedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await WriteNullableAsync(importer, c.IpAddress, NpgsqlDbType.Inet, cancellationToken);
            await WriteNullableAsync(importer, c.UserAgent, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, c.ReferrerUrl, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, c.SessionId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(c.ClickSource, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, c.Metadata, NpgsqlDbType.Jsonb, cancellationToken);
            await WriteNullableAsync(importer, c.EventId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(c.IsBot, NpgsqlDbType.Boolean, cancellationToken);
            await WriteNullableAsync(importer, c.BotReason, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(c.BotCategory.Name(), NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, c.Signals, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, c.Origin, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, c.Country, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, c.DeviceType?.Name(), NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, c.Browser, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, c.Os, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, c.Variant, NpgsqlDbType.Text, cancellationToken);
        }
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : class =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, type, cancellationToken);

    private async Task InsertAsync(IReadOnlyList<LinkClick> clicks, CancellationToken cancellationToken)
    {
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
        var categories = new string[n];
        var signals = new string?[n];
        var origins = new string?[n];
        var countries = new string?[n];
        var devices = new string?[n];
        var browsers = new string?[n];
        var systems = new string?[n];
        var variants = new string?[n];
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
            categories[i] = c.BotCategory.Name();
            signals[i] = c.Signals;
            origins[i] = c.Origin;
            countries[i] = c.Country;
            devices[i] = c.DeviceType?.Name();
            browsers[i] = c.Browser;
            systems[i] = c.Os;
            variants[i] = c.Variant;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(Sql, connection, transaction);
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
        command.Parameters.Add(new NpgsqlParameter { Value = categories, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = signals, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = origins, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = countries, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = devices, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = browsers, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = systems, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = variants, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
