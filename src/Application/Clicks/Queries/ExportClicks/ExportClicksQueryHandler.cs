using System.Runtime.CompilerServices;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;
using Mediator;

namespace LinkTracking.Application.Clicks.Queries.ExportClicks;

/// <summary>
/// Hands out the export as a lazy stream: nothing is read until the caller enumerates it, and each stored row becomes one
/// <see cref="ExportedClick"/> (address masked as analytics' <c>ip_partial</c>, signals split) as it arrives.
/// </summary>
public sealed class ExportClicksQueryHandler(IClickExport export) : IQueryHandler<ExportClicksQuery, ClickExport>
{
    public ValueTask<ClickExport> Handle(ExportClicksQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filter = new ClickExportFilter(
            query.TrackingId,
            query.JobId,
            query.ApplicationId,
            query.From?.UtcDateTime,
            query.To?.UtcDateTime,
            query.IncludeBots);
        var format = ExportFormats.Normalise(query.Format) ?? ExportFormats.Csv;
        return ValueTask.FromResult(new ClickExport(format, ReadAsync(filter, CancellationToken.None)));
    }

    private async IAsyncEnumerable<ExportedClick> ReadAsync(ClickExportFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in export.ReadAsync(filter, cancellationToken))
        {
            yield return ToExported(row);
        }
    }

    public static ExportedClick ToExported(ClickExportRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new ExportedClick(
            row.Id,
            row.TrackingId,
            DateTime.SpecifyKind(row.ClickedAt, DateTimeKind.Utc),
            row.ClickSource,
            row.BotCategory.Name(),
            ClickSignals.Split(row.Signals),
            row.IpAddress is null ? null : IpAddresses.Partial(row.IpAddress),
            row.Enrichment.Country,
            row.Enrichment.Device?.Name(),
            row.Enrichment.Browser,
            row.Enrichment.Os,
            row.UserAgent,
            row.ReferrerUrl,
            row.SessionId,
            row.Variant);
    }
}
