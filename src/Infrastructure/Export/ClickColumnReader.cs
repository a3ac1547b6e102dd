using System.Data;
using System.Diagnostics;
using System.Net;
using LinkTracking.Application.Clicks.Queries.ExportClicks;
using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LinkTracking.Infrastructure.Export;

/// <summary>
/// Reads one UTC day of classified clicks (bots included, ordered by <c>clicked_at</c>, then id) straight into
/// <see cref="ClickColumns"/>, handing each full buffer on and going on with an empty one.
/// <list type="bullet">
/// <item><b>PostgreSQL</b>: one plain statement through Npgsql's data reader (sequential access), each value put in its
/// column as it arrives: no entity, no row object. The values are those of the CSV/NDJSON export
/// (<see cref="ExportClicksQueryHandler.ToExported"/>), produced by the same domain rules (category and device names,
/// <see cref="IpAddresses.Partial"/>, <see cref="ClickSignals.Split"/>); a test compares the two on awkward rows.</item>
/// <item><b>SQLite</b> (the embedded default, small data): the audit export's streaming reader
/// (<see cref="IClickExport"/>) and its mapping, row by row.</item>
/// </list>
/// Time limits as <see cref="Analytics.ClickExportReader"/>: the first row within <see cref="DatabaseOptions.QueryTimeout"/>,
/// then every wait for the server bounded by the command timeout, no total limit.
/// </summary>
public sealed class ClickColumnReader(LinkTrackingDbContext db, IClickExport export, IOptions<DatabaseOptions> options)
{
    // The columns in the order ClickColumns.Add takes them (sequential access reads them in this order).
    private const string Sql = """
        SELECT id, tracking_id, clicked_at, click_source, bot_category, signals, ip_address, country, device_type, browser, os,
               user_agent, referrer_url, session_id, variant
        FROM link_clicks
        WHERE clicked_at >= @from AND clicked_at < @to
        ORDER BY clicked_at, id
        """;

    // Stored names as the entity mapping reads them (LinkClickConfiguration): an unknown category is a scanner's, an unknown device "other".
    private static readonly Dictionary<string, string> CategoryNames = BotCategories.All.ToDictionary(c => c.Name(), c => c.Name(), StringComparer.Ordinal);
    private static readonly Dictionary<string, string> DeviceNames = DeviceTypes.All.ToDictionary(d => d.Name(), d => d.Name(), StringComparer.Ordinal);

    private readonly TimeSpan _firstRowTimeout = options.Value.QueryTimeout > TimeSpan.Zero ? options.Value.QueryTimeout : TimeSpan.FromSeconds(15);

    /// <summary>
    /// Appends the clicks of [<paramref name="from"/>, <paramref name="to"/>) to <paramref name="columns"/>; when it is
    /// full, hands it to <paramref name="full"/>, which returns the (empty) buffer to go on with. Returns the last,
    /// partly filled buffer.
    /// </summary>
    internal async Task<ClickColumns> ReadAsync(DateTime from, DateTime to, ClickColumns columns, Func<ClickColumns, ValueTask<ClickColumns>> full, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql())
        {
            await foreach (var row in export.ReadAsync(new ClickExportFilter(From: from, To: to, IncludeBots: true), cancellationToken))
            {
                columns.Add(ExportClicksQueryHandler.ToExported(row));
                if (columns.IsFull)
                {
                    columns = await full(columns);
                }
            }

            return columns;
        }

        // Synchronous reads on the export's own reading thread: the data reader's async path hands every network
        // read to the thread pool, whose idle workers then spin: a third of the export's CPU (bench/RESULTS.md).
        var started = Stopwatch.GetTimestamp();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var command = new NpgsqlCommand(Sql, connection);
        command.CommandTimeout = (int)Math.Max(1, Math.Ceiling(_firstRowTimeout.TotalSeconds));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("from", DateTime.SpecifyKind(from, DateTimeKind.Utc)));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("to", DateTime.SpecifyKind(to, DateTimeKind.Utc)));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_firstRowTimeout);
        // A cancel request (PostgreSQL stops the statement) when the caller gives up, or when the first row is late.
        await using var cancel = deadline.Token.Register(static c => ((NpgsqlCommand)c!).Cancel(), command);
        NpgsqlDataReader reader;
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            reader = command.ExecuteReader(CommandBehavior.SequentialAccess);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && (deadline.IsCancellationRequested || DatabaseTimeouts.IsTimeout(e)))
        {
            await db.Database.CloseConnectionAsync();
            throw new DatabaseTimeoutException(Stopwatch.GetElapsedTime(started), e);
        }
        catch
        {
            await db.Database.CloseConnectionAsync();
            throw;
        }

        try
        {
            // The statement answered: from here on only the caller's token (and the per-wait command timeout) stops it.
            deadline.CancelAfter(Timeout.InfiniteTimeSpan);
            var partials = new Dictionary<IPAddress, string>();
            while (reader.Read())
            {
                // Sequential access: each value read once, in column order.
                var id = reader.GetGuid(0);
                var trackingId = reader.GetString(1);
                var clickedAt = DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc);
                var clickSource = reader.GetString(3);
                var category = CategoryName(reader.GetString(4));
                var signals = Signals(NullableString(reader, 5));
                var ip = reader.IsDBNull(6) ? null : Partial(partials, reader.GetFieldValue<IPAddress>(6));
                var country = NullableString(reader, 7);
                var device = reader.IsDBNull(8) ? null : DeviceName(reader.GetString(8));
                columns.Add(id, trackingId, clickedAt, clickSource, category, signals, ip, country, device,
                    NullableString(reader, 9), NullableString(reader, 10), NullableString(reader, 11), NullableString(reader, 12), NullableString(reader, 13),
                    NullableString(reader, 14));
                if (columns.IsFull)
                {
                    columns = await full(columns);
                }
            }
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            // The cancel request stopped the statement: the caller asked for it.
            throw new OperationCanceledException("The export was cancelled.", e, cancellationToken);
        }
        finally
        {
            await reader.DisposeAsync();
            await db.Database.CloseConnectionAsync();
        }

        cancellationToken.ThrowIfCancellationRequested();
        return columns;
    }

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static string CategoryName(string stored) =>
        CategoryNames.TryGetValue(stored, out var name) ? name : (BotCategories.TryParse(stored, out var category) ? category : BotCategory.Scanner).Name();

    private static string DeviceName(string stored) =>
        DeviceNames.TryGetValue(stored, out var name) ? name : (DeviceTypes.TryParse(stored, out var device) ? device : DeviceType.Other).Name();

    /// <summary>The stored list as <see cref="ClickSignals.Split"/> and a comma join give it back: usually the stored text itself.</summary>
    internal static string? Signals(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return null;
        }

        if (stored[0] != ',' && stored[^1] != ',' && !stored.Contains(",,", StringComparison.Ordinal))
        {
            return stored;
        }

        var signals = ClickSignals.Split(stored);
        return signals.Count == 0 ? null : string.Join(',', signals);
    }

    // A day's clicks come from far fewer addresses than rows: each masked form is made once (bounded, in case they do not).
    private static string Partial(Dictionary<IPAddress, string> partials, IPAddress address)
    {
        if (partials.TryGetValue(address, out var partial))
        {
            return partial;
        }

        if (partials.Count >= 65_536)
        {
            partials.Clear();
        }

        partial = IpAddresses.Partial(address);
        partials[address] = partial;
        return partial;
    }
}
