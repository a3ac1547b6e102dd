using System.Globalization;
using LinkTracking.Domain.Clicks;
using Microsoft.Data.Sqlite;

namespace LinkTracking.Infrastructure.Clicks;

/// <summary>
/// One transaction per batch with a prepared <c>INSERT OR IGNORE</c>. Values are written in the formats EF Core's
/// SQLite provider uses (upper-case GUID text, <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c> times), so both read the same rows.
/// Each click takes the next number of <c>click_rollup_state.last_seq</c>, reserved for the whole batch by one update in
/// the same transaction; the rollup worker counts the clicks after the commit (ADR 0021).
/// </summary>
public sealed class SqliteClickBatchWriter(string connectionString) : IClickBatchWriter
{
    private const string Sql = """
        INSERT OR IGNORE INTO link_clicks (id, tracking_id, clicked_at, ip_address, user_agent, referrer_url, session_id,
                                           click_source, metadata, event_id, is_bot, bot_reason, bot_category, signals, origin,
                                           country, device_type, browser, os, variant, seq)
        VALUES ($id, $tracking_id, $clicked_at, $ip_address, $user_agent, $referrer_url, $session_id,
                $click_source, $metadata, $event_id, $is_bot, $bot_reason, $bot_category, $signals, $origin,
                $country, $device_type, $browser, $os, $variant, $seq)
        """;

    /// <summary>Reserves a number per click of the batch; returns the last one.</summary>
    private const string ReserveSql = "UPDATE click_rollup_state SET last_seq = last_seq + $n WHERE id = 1 RETURNING last_seq";

    public async Task WriteAsync(IReadOnlyList<LinkClick> clicks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        long next;
        await using (var reserve = connection.CreateCommand())
        {
            reserve.Transaction = transaction;
            reserve.CommandText = ReserveSql;
            reserve.Parameters.AddWithValue("$n", clicks.Count);
            next = (long)(await reserve.ExecuteScalarAsync(cancellationToken))! - clicks.Count;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Sql;
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var trackingId = command.Parameters.Add("$tracking_id", SqliteType.Text);
        var clickedAt = command.Parameters.Add("$clicked_at", SqliteType.Text);
        var ip = command.Parameters.Add("$ip_address", SqliteType.Text);
        var userAgent = command.Parameters.Add("$user_agent", SqliteType.Text);
        var referrer = command.Parameters.Add("$referrer_url", SqliteType.Text);
        var session = command.Parameters.Add("$session_id", SqliteType.Text);
        var source = command.Parameters.Add("$click_source", SqliteType.Text);
        var metadata = command.Parameters.Add("$metadata", SqliteType.Text);
        var eventId = command.Parameters.Add("$event_id", SqliteType.Text);
        var isBot = command.Parameters.Add("$is_bot", SqliteType.Integer);
        var botReason = command.Parameters.Add("$bot_reason", SqliteType.Text);
        var category = command.Parameters.Add("$bot_category", SqliteType.Text);
        var signals = command.Parameters.Add("$signals", SqliteType.Text);
        var origin = command.Parameters.Add("$origin", SqliteType.Text);
        var country = command.Parameters.Add("$country", SqliteType.Text);
        var device = command.Parameters.Add("$device_type", SqliteType.Text);
        var browser = command.Parameters.Add("$browser", SqliteType.Text);
        var os = command.Parameters.Add("$os", SqliteType.Text);
        var variant = command.Parameters.Add("$variant", SqliteType.Text);
        var seq = command.Parameters.Add("$seq", SqliteType.Integer);
        command.Prepare();

        foreach (var c in clicks)
        {
            id.Value = c.Id.ToString().ToUpperInvariant();
            trackingId.Value = c.TrackingId.Value;
            clickedAt.Value = FormatTime(c.ClickedAt);
            ip.Value = (object?)c.IpAddress?.ToString() ?? DBNull.Value;
            userAgent.Value = (object?)c.UserAgent ?? DBNull.Value;
            referrer.Value = (object?)c.ReferrerUrl ?? DBNull.Value;
            session.Value = (object?)c.SessionId ?? DBNull.Value;
            source.Value = c.ClickSource;
            metadata.Value = (object?)c.Metadata ?? DBNull.Value;
            eventId.Value = (object?)c.EventId ?? DBNull.Value;
            isBot.Value = c.IsBot ? 1 : 0;
            botReason.Value = (object?)c.BotReason ?? DBNull.Value;
            category.Value = c.BotCategory.Name();
            signals.Value = (object?)c.Signals ?? DBNull.Value;
            origin.Value = (object?)c.Origin ?? DBNull.Value;
            country.Value = (object?)c.Country ?? DBNull.Value;
            device.Value = (object?)c.DeviceType?.Name() ?? DBNull.Value;
            browser.Value = (object?)c.Browser ?? DBNull.Value;
            os.Value = (object?)c.Os ?? DBNull.Value;
            variant.Value = (object?)c.Variant ?? DBNull.Value;
            seq.Value = ++next;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The text form EF Core's SQLite provider gives a <see cref="DateTime"/>.</summary>
    public static string FormatTime(DateTime value) =>
        value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
}
