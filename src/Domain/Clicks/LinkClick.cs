using System.Net;
using System.Security.Cryptography;
using System.Text;
using LinkTracking.Domain.Common;
using LinkTracking.Domain.Links;

namespace LinkTracking.Domain.Clicks;

/// <summary>One click on a tracked link, as seen by our redirect or a partner's.</summary>
public sealed class LinkClick
{
    public const int MaxUserAgentLength = 1000;
    public const int MaxReferrerLength = 1000;
    public const int MaxSessionIdLength = 100;
    public const int MaxEventIdLength = 100;
    public const int MaxMetadataLength = 8 * 1024;
    public const int MaxBotReasonLength = 50;

    private LinkClick()
    {
        TrackingId = null!;
        ClickSource = null!;
    }

    public Guid Id { get; private set; }

    public TrackingId TrackingId { get; private set; }

    public DateTime ClickedAt { get; private set; }

    public IPAddress? IpAddress { get; private set; }

    public string? UserAgent { get; private set; }

    public string? ReferrerUrl { get; private set; }

    public string? SessionId { get; private set; }

    public string ClickSource { get; private set; }

    /// <summary>A JSON object, serialised.</summary>
    public string? Metadata { get; private set; }

    /// <summary>The caller's idempotency key: a retry with the same event id on the same link is stored once.</summary>
    public string? EventId { get; private set; }

    public bool IsBot { get; private set; }

    public string? BotReason { get; private set; }

    /// <summary>
    /// Records a click. Inputs are expected to be validated already (validators name the field); the checks here
    /// keep the aggregate consistent whatever the caller.
    /// </summary>
    public static LinkClick Record(ClickDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        ArgumentNullException.ThrowIfNull(details.TrackingId);
        Require(details.UserAgent, MaxUserAgentLength, "user_agent");
        Require(details.ReferrerUrl, MaxReferrerLength, "referrer_url");
        Require(details.SessionId, MaxSessionIdLength, "session_id");
        Require(details.EventId, MaxEventIdLength, "event_id");
        Require(details.Metadata, MaxMetadataLength, "metadata");
        Require(details.ClickSource, Clicks.ClickSource.MaxLength, "click_source");
        Require(details.BotReason, MaxBotReasonLength, "bot_reason");
        if (details.ClickedAt.Kind != DateTimeKind.Utc)
        {
            throw new DomainRuleException("clicked_at", "Click times are UTC.");
        }

        return new LinkClick
        {
            Id = details.EventId is null ? Guid.CreateVersion7(details.ClickedAt) : IdForEvent(details.TrackingId, details.EventId),
            TrackingId = details.TrackingId,
            ClickedAt = TruncateToMicroseconds(details.ClickedAt),
            IpAddress = details.IpAddress,
            UserAgent = details.UserAgent,
            ReferrerUrl = details.ReferrerUrl,
            SessionId = details.SessionId,
            ClickSource = details.ClickSource,
            Metadata = details.Metadata,
            EventId = details.EventId,
            IsBot = details.BotReason is not null,
            BotReason = details.BotReason,
        };
    }

    /// <summary>Rebuilds a click that was recorded before (read back from the local spool), keeping its id.</summary>
    public static LinkClick Restore(Guid id, ClickDetails details)
    {
        var click = Record(details);
        click.Id = id;
        return click;
    }

    /// <summary>
    /// The click id of an event is derived from the link and the event id, so a retry yields the same id
    /// (and the same primary key) as the first attempt: idempotency without a lookup.
    /// </summary>
    public static Guid IdForEvent(TrackingId trackingId, string eventId)
    {
        ArgumentNullException.ThrowIfNull(trackingId);
        ArgumentNullException.ThrowIfNull(eventId);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(trackingId.Value + "\n" + eventId), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8: custom, name-based
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(hash[..16], bigEndian: true);
    }

    /// <summary>Zeroes the host part of the stored address (IPv4 to /24, IPv6 to /48). Returns false if nothing changed.</summary>
    public bool AnonymiseIp()
    {
        if (IpAddress is null)
        {
            return false;
        }

        var anonymised = IpAddresses.Anonymise(IpAddress);
        if (anonymised.Equals(IpAddress))
        {
            return false;
        }

        IpAddress = anonymised;
        return true;
    }

    /// <summary>Click times keep microseconds, the resolution PostgreSQL stores, so every store and every answer agree.</summary>
    public static DateTime TruncateToMicroseconds(DateTime value) =>
        new(value.Ticks - (value.Ticks % TimeSpan.TicksPerMicrosecond), value.Kind);

    private static void Require(string? value, int maxLength, string field)
    {
        if (value is not null && value.Length > maxLength)
        {
            throw new DomainRuleException(field, $"{field} is at most {maxLength} characters.");
        }
    }
}

/// <summary>What is known about a click when it is recorded.</summary>
public sealed record ClickDetails(
    TrackingId TrackingId,
    DateTime ClickedAt,
    IPAddress? IpAddress,
    string? UserAgent,
    string? ReferrerUrl,
    string? SessionId,
    string ClickSource,
    string? Metadata,
    string? EventId,
    string? BotReason);
