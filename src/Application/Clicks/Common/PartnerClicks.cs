using System.Text.Json;
using LinkTracking.Application.Clicks.Classification;
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
        var trackingId = TrackingId.Parse(command.TrackingId!);
        var link = await cache.GetAsync(trackingId, cancellationToken);
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
        var facts = new ClickFacts(
            "GET",
            command.IpAddress is null ? null : IpAddresses.Parse(command.IpAddress),
            command.UserAgent,
            Headers(command.Headers),
            clickedAt,
            link.SentAt);
        var click = factory.Create(
            trackingId,
            facts,
            command.ReferrerUrl,
            command.SessionId,
            command.ClickSource,
            metadata,
            string.IsNullOrEmpty(command.EventId) ? null : command.EventId,
            onDecoy: link.IsDecoy);
        return new PreparedClick(PartnerClickOutcome.Ready, click);
    }

    /// <summary>The partner's headers, looked up by name whatever their case; null when it sent none (header rules then stay silent).</summary>
    private static ClientHeaders? Headers(IReadOnlyDictionary<string, string?>? headers)
    {
        if (headers is null)
        {
            return null;
        }

        var byName = new Dictionary<string, string?>(headers.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            byName[name] = value;
        }

        return ClientHeaders.Read(name => byName.GetValueOrDefault(name));
    }
}
