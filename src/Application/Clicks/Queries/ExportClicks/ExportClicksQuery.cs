using LinkTracking.Application.Common.Interfaces;
using Mediator;

namespace LinkTracking.Application.Clicks.Queries.ExportClicks;

/// <summary>
/// Every click matching the filters, for an audit export in <see cref="Format"/> (<c>csv</c> or <c>ndjson</c>). Human
/// clicks only unless <see cref="IncludeBots"/>. <see cref="From"/> is inclusive, <see cref="To"/> exclusive.
/// </summary>
public sealed record ExportClicksQuery(
    string? Format = ExportFormats.Csv,
    string? TrackingId = null,
    Guid? JobId = null,
    Guid? ApplicationId = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    bool IncludeBots = false) : IQuery<ClickExport>, IReadsRecordedClicks;

/// <summary>The formats of the export (wire names).</summary>
public static class ExportFormats
{
    public const string Csv = "csv";
    public const string Ndjson = "ndjson";

    public static IReadOnlyList<string> All { get; } = [Csv, Ndjson];

    /// <summary>The wire name of <paramref name="format"/> (case-insensitive), or null when it is none of <see cref="All"/>.</summary>
    public static string? Normalise(string? format) =>
        All.FirstOrDefault(f => string.Equals(f, format?.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The export: its format and its clicks, read lazily from the database as they are enumerated (enumerate once, within
/// the request).
/// </summary>
public sealed record ClickExport(string Format, IAsyncEnumerable<ExportedClick> Clicks);

/// <summary>
/// One row of the export, in column order. <see cref="IpPartial"/> has the host part masked (IPv4 /24, IPv6 /48).
/// <see cref="Country"/>, <see cref="DeviceType"/>, <see cref="Browser"/> and <see cref="Os"/> are the click's enrichment
/// at ingest (null when unknown, and for clicks stored before enrichment existed). <see cref="Variant"/> is the A/B
/// variant the visitor was sent to (null for links without variants); it is the last column, so files read by
/// position before it existed still read.
/// </summary>
public sealed record ExportedClick(
    Guid ClickId,
    string TrackingId,
    DateTime ClickedAt,
    string ClickSource,
    string BotCategory,
    IReadOnlyList<string> Signals,
    string? IpPartial,
    string? Country,
    string? DeviceType,
    string? Browser,
    string? Os,
    string? UserAgent,
    string? ReferrerUrl,
    string? SessionId,
    string? Variant = null)
{
    /// <summary>The column names, in order (CSV header; NDJSON keys).</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "click_id", "tracking_id", "clicked_at", "click_source", "bot_category", "signals", "ip_partial",
        "country", "device_type", "browser", "os", "user_agent", "referrer_url", "session_id", "variant",
    ];
}
