using System.Net;
using System.Text.Json;
using LinkTracking.Application.Clicks.Commands.RecordClick;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;

namespace LinkTracking.Application.Clicks.Common;

public enum PartnerClickOutcome
{
    Ready,
    UnknownLink,
    InactiveLink,
}

public sealed record PreparedClick(PartnerClickOutcome Outcome, LinkClick? Click);

/// <summary>Turns a validated partner click into a <see cref="LinkClick"/>, checking its link through the cache.</summary>
public sealed class PartnerClicks(ILinkCache cache, ClickFactory factory, TimeProvider timeProvider)
{
    public async ValueTask<PreparedClick> PrepareAsync(RecordClickCommand command, CancellationToken cancellationToken)
    {
        var link = await cache.GetAsync(command.TrackingId!, cancellationToken);
        if (link is null)
        {
            return new PreparedClick(PartnerClickOutcome.UnknownLink, null);
        }

        if (!link.IsActive)
        {
            return new PreparedClick(PartnerClickOutcome.InactiveLink, null);
        }

        var clickedAt = (command.ClickedAt ?? timeProvider.GetUtcNow()).UtcDateTime;
        var metadata = command.Metadata is { ValueKind: JsonValueKind.Object } m ? m.GetRawText() : null;
        var click = factory.Create(
            TrackingId.Parse(command.TrackingId!),
            clickedAt,
            command.IpAddress is null ? null : IPAddress.Parse(command.IpAddress),
            command.UserAgent,
            command.ReferrerUrl,
            command.SessionId,
            command.ClickSource,
            metadata,
            string.IsNullOrEmpty(command.EventId) ? null : command.EventId);
        return new PreparedClick(PartnerClickOutcome.Ready, click);
    }
}
