using System.Diagnostics;
using System.Runtime.CompilerServices;
using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Analytics;

/// <summary>
/// The audit export as one streaming statement (<c>AsNoTracking</c>, <c>AsAsyncEnumerable</c>): rows are handed on as
/// the provider's data reader yields them, so memory stays flat however many there are. Ordered by <c>clicked_at</c>,
/// then id. Time limits, adapted from <see cref="BoundedReads"/> for a read whose length grows with the data:
/// <list type="bullet">
/// <item>the <b>first row</b> must arrive within <see cref="DatabaseOptions.QueryTimeout"/> (a slow plan or a locked
/// table answers 503 before the response has started);</item>
/// <item>after that there is <b>no total limit</b> — an export of millions of rows to a slow client legitimately takes
/// minutes, and PostgreSQL's <c>statement_timeout</c> would count the time the client takes to read, so it is not set —
/// but every wait for the database stays bounded by the command timeout (Npgsql applies it to each network read; on
/// SQLite it bounds a busy wait), and the request's token cancels the statement (Npgsql sends PostgreSQL a cancel
/// request) when the client goes away or Kestrel drops a client that stopped reading.</item>
/// </list>
/// </summary>
public sealed class ClickExportReader(LinkTrackingDbContext db, IOptions<DatabaseOptions> options) : IClickExport
{
    private readonly TimeSpan _firstRowTimeout = options.Value.QueryTimeout > TimeSpan.Zero ? options.Value.QueryTimeout : TimeSpan.FromSeconds(15);

    public async IAsyncEnumerable<ClickExportRow> ReadAsync(ClickExportFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_firstRowTimeout);
        var previousCommandTimeout = db.Database.GetCommandTimeout();
        db.Database.SetCommandTimeout((int)Math.Max(1, Math.Ceiling(_firstRowTimeout.TotalSeconds)));
        try
        {
            var rows = Query(filter).AsAsyncEnumerable().WithCancellation(deadline.Token).GetAsyncEnumerator();
            await using (rows)
            {
                var first = true;
                while (true)
                {
                    bool more;
                    try
                    {
                        more = await rows.MoveNextAsync();
                    }
                    catch (Exception e) when (!cancellationToken.IsCancellationRequested && (deadline.IsCancellationRequested || DatabaseTimeouts.IsTimeout(e)))
                    {
                        throw new DatabaseTimeoutException(Stopwatch.GetElapsedTime(started), e);
                    }

                    if (!more)
                    {
                        yield break;
                    }

                    if (first)
                    {
                        // The statement answered: from here on only the request's token (and the per-wait command
                        // timeout) can stop it.
                        deadline.CancelAfter(Timeout.InfiniteTimeSpan);
                        first = false;
                    }

                    var row = rows.Current;
                    yield return new ClickExportRow(
                        row.Id,
                        row.TrackingId.Value,
                        DateTime.SpecifyKind(row.ClickedAt, DateTimeKind.Utc),
                        row.ClickSource,
                        row.BotCategory,
                        row.Signals,
                        row.IpAddress,
                        row.UserAgent,
                        row.ReferrerUrl,
                        row.SessionId)
                    {
                        Enrichment = new ClickEnrichment(row.Country, row.DeviceType, row.Browser, row.Os),
                        Variant = row.Variant,
                    };
                }
            }
        }
        finally
        {
            db.Database.SetCommandTimeout(previousCommandTimeout);
        }
    }

    private IQueryable<Row> Query(ClickExportFilter filter)
    {
        var clicks = db.Clicks.AsNoTracking();
        if (filter.TrackingId is { } trackingId)
        {
            var id = TrackingId.Parse(trackingId);
            clicks = clicks.Where(c => c.TrackingId == id);
        }

        if (filter.From is { } from)
        {
            clicks = clicks.Where(c => c.ClickedAt >= from);
        }

        if (filter.To is { } to)
        {
            clicks = clicks.Where(c => c.ClickedAt < to);
        }

        if (!filter.IncludeBots)
        {
            // Human clicks only. A click on a hidden decoy link is a scanner's from the moment it is recorded (ClickFactory),
            // so the decoy's clicks are listed only with include_bots.
            clicks = clicks.Where(c => !c.IsBot);
        }

        if (filter.JobId is not null || filter.ApplicationId is not null)
        {
            var links = db.Links.AsNoTracking();
            if (filter.JobId is { } jobId)
            {
                links = links.Where(l => l.JobId == jobId);
            }

            if (filter.ApplicationId is { } applicationId)
            {
                links = links.Where(l => l.ApplicationId == applicationId);
            }

            clicks = from c in clicks
                     join l in links on c.TrackingId equals l.TrackingId
                     select c;
        }

        return clicks
            .OrderBy(c => c.ClickedAt)
            .ThenBy(c => c.Id)
            .Select(c => new Row(c.Id, c.TrackingId, c.ClickedAt, c.ClickSource, c.BotCategory, c.Signals, c.IpAddress, c.UserAgent, c.ReferrerUrl, c.SessionId, c.Country, c.DeviceType, c.Browser, c.Os, c.Variant));
    }

    private sealed record Row(
        Guid Id,
        TrackingId TrackingId,
        DateTime ClickedAt,
        string ClickSource,
        BotCategory BotCategory,
        string? Signals,
        System.Net.IPAddress? IpAddress,
        string? UserAgent,
        string? ReferrerUrl,
        string? SessionId,
        string? Country,
        DeviceType? DeviceType,
        string? Browser,
        string? Os,
        string? Variant);
}
