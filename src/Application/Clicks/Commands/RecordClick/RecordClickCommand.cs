using System.Text.Json;
using Mediator;

namespace LinkTracking.Application.Clicks.Commands.RecordClick;

/// <summary>
/// A click seen by a partner's redirector. Body of <c>POST /api/v1/link-tracking/record-click</c>. <see cref="Headers"/>
/// are the request headers the partner saw (name → value), read by the classifier; unknown names are ignored.
/// </summary>
public sealed record RecordClickCommand(
    string? TrackingId,
    DateTimeOffset? ClickedAt = null,
    string? IpAddress = null,
    string? UserAgent = null,
    string? ReferrerUrl = null,
    string? SessionId = null,
    string? ClickSource = null,
    JsonElement? Metadata = null,
    string? EventId = null,
    IReadOnlyDictionary<string, string?>? Headers = null) : ICommand<ClickReceiptDto>
{
    /// <summary>Most entries a partner's <c>headers</c> object may have.</summary>
    public const int MaxHeaders = 20;

    /// <summary>Longest header name or value accepted.</summary>
    public const int MaxHeaderLength = 1000;
}

/// <summary>The acknowledgement of a stored (or already stored) click.</summary>
public sealed record ClickReceiptDto(Guid ClickId, string TrackingId, DateTime ClickedAt, string ClickSource);
