using System.Text.Json;
using Mediator;

namespace LinkTracking.Application.Clicks.Commands.RecordClick;

/// <summary>A click seen by a partner's redirector. Body of <c>POST /api/v1/link-tracking/record-click</c>.</summary>
public sealed record RecordClickCommand(
    string? TrackingId,
    DateTimeOffset? ClickedAt = null,
    string? IpAddress = null,
    string? UserAgent = null,
    string? ReferrerUrl = null,
    string? SessionId = null,
    string? ClickSource = null,
    JsonElement? Metadata = null,
    string? EventId = null) : ICommand<ClickReceiptDto>;

/// <summary>The acknowledgement of a stored (or already stored) click.</summary>
public sealed record ClickReceiptDto(Guid ClickId, string TrackingId, DateTime ClickedAt, string ClickSource);
