using System.Net;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Application.Common.Interfaces;

/// <summary>
/// Streams stored clicks for the audit export, oldest first (<c>clicked_at</c>, then id: a stable order, so an export
/// can be resumed with <c>from</c>). Rows come as the database sends them; nothing is materialised.
/// </summary>
public interface IClickExport
{
    IAsyncEnumerable<ClickExportRow> ReadAsync(ClickExportFilter filter, CancellationToken cancellationToken);
}

/// <summary>Which clicks to export. <see cref="From"/> is inclusive, <see cref="To"/> exclusive; times are UTC.</summary>
public sealed record ClickExportFilter(
    string? TrackingId = null,
    Guid? JobId = null,
    Guid? ApplicationId = null,
    DateTime? From = null,
    DateTime? To = null,
    bool IncludeBots = false);

/// <summary>One stored click as the export reads it (the address unmasked; the handler masks it).</summary>
public sealed record ClickExportRow(
    Guid Id,
    string TrackingId,
    DateTime ClickedAt,
    string ClickSource,
    BotCategory BotCategory,
    string? Signals,
    IPAddress? IpAddress,
    string? UserAgent,
    string? ReferrerUrl,
    string? SessionId)
{
    /// <summary>Country, device type, browser and OS as enriched at ingest (each null when unknown).</summary>
    public ClickEnrichment Enrichment { get; init; } = ClickEnrichment.Unknown;

    /// <summary>The A/B variant the visitor was sent to; null for a link without variants.</summary>
    public string? Variant { get; init; }
}
