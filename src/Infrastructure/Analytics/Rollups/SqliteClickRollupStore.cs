using System.Data.Common;
using LinkTracking.Infrastructure.Clicks;
using Microsoft.Data.Sqlite;

namespace LinkTracking.Infrastructure.Analytics.Rollups;

/// <summary>
/// SQLite: a prepared <c>INSERT … ON CONFLICT DO UPDATE</c> per changed row (SQLite runs in-process, so many small
/// statements cost no round trips), then a <c>DELETE</c> of the rows a negative delta brought to zero. Hours are
/// stored as EF Core's SQLite provider writes times (<see cref="SqliteClickBatchWriter.FormatTime"/>).
/// </summary>
public sealed class SqliteClickRollupStore : IClickRollupStore
{
    private const string UpsertRollup = """
        INSERT INTO link_click_rollups (tracking_id, hour, dimension, value, human_clicks, bot_clicks)
        VALUES ($tracking_id, $hour, $name, $value, $human, $bot)
        ON CONFLICT (tracking_id, hour, dimension, value) DO UPDATE
        SET human_clicks = human_clicks + excluded.human_clicks, bot_clicks = bot_clicks + excluded.bot_clicks;
        DELETE FROM link_click_rollups
        WHERE ($human < 0 OR $bot < 0) AND tracking_id = $tracking_id AND hour = $hour AND dimension = $name AND value = $value
          AND human_clicks = 0 AND bot_clicks = 0;
        """;

    private const string UpsertUnique = """
        INSERT INTO link_click_uniques (tracking_id, hour, kind, key, human_clicks, bot_clicks)
        VALUES ($tracking_id, $hour, $name, $value, $human, $bot)
        ON CONFLICT (tracking_id, hour, kind, key) DO UPDATE
        SET human_clicks = human_clicks + excluded.human_clicks, bot_clicks = bot_clicks + excluded.bot_clicks;
        DELETE FROM link_click_uniques
        WHERE ($human < 0 OR $bot < 0) AND tracking_id = $tracking_id AND hour = $hour AND kind = $name AND key = $value
          AND human_clicks = 0 AND bot_clicks = 0;
        """;

    /// <summary>The UTC hour of a stored time (<c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c>), in the same text form.</summary>
    private const string HourOfClick = "substr(clicked_at, 1, 13) || ':00:00'";

    /// <summary>The rebuild, also run once by the migration that creates the tables.</summary>
    public const string RebuildSql = $"""
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
        SELECT count(*) FROM link_clicks;
        """;

    public async Task ApplyAsync(DbConnection connection, DbTransaction transaction, ClickRollupDelta delta, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delta);
        var rollups = delta.Rollups();
        var uniques = delta.Uniques();
        await ApplyRowsAsync(connection, transaction, UpsertRollup, rollups, cancellationToken);
        await ApplyRowsAsync(connection, transaction, UpsertUnique, uniques, cancellationToken);
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
        await transaction.CommitAsync(cancellationToken);
        return clicks;
    }

    private static async Task ApplyRowsAsync(
        DbConnection connection,
        DbTransaction transaction,
        string sql,
        IEnumerable<RollupChange> rows,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        var trackingId = Parameter(command, "$tracking_id");
        var hour = Parameter(command, "$hour");
        var name = Parameter(command, "$name");
        var value = Parameter(command, "$value");
        var human = Parameter(command, "$human");
        var bot = Parameter(command, "$bot");
        foreach (var row in rows)
        {
            trackingId.Value = row.TrackingId;
            hour.Value = SqliteClickBatchWriter.FormatTime(row.Hour);
            name.Value = row.Name;
            value.Value = row.Value;
            human.Value = row.HumanClicks;
            bot.Value = row.BotClicks;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static DbParameter Parameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
