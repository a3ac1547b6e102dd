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
    public const int MaxOriginLength = 64;

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

    /// <summary>Not <see cref="BotCategory.Human"/>.</summary>
    public bool IsBot { get; private set; }

    /// <summary>The main signal of a bot (the first of <see cref="Signals"/>); null for a human.</summary>
    public string? BotReason { get; private set; }

    public BotCategory BotCategory { get; private set; }

    /// <summary>The signals that fired, comma-separated, main one first (<see cref="ClickSignals"/>); null when none.</summary>
    public string? Signals { get; private set; }

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
        var classification = details.Classification ?? ClickClassification.Human;
        var signals = ClickSignals.Join(classification.Signals);
        Require(classification.Reason, MaxBotReasonLength, "bot_reason");
        Require(signals, ClickSignals.MaxStoredLength, "signals");
        Require(details.Origin, MaxOriginLength, "origin");
        var enrichment = details.Enrichment ?? ClickEnrichment.Unknown;
        Require(enrichment.Browser, ClickEnrichment.MaxFamilyLength, "browser");
        Require(enrichment.Os, ClickEnrichment.MaxFamilyLength, "os");
        if (enrichment.Country is { Length: not ClickEnrichment.CountryLength })
        {
            throw new DomainRuleException("country", "country is an ISO 3166 alpha-2 code.");
        }
        if (details.Variant is not null && !Links.LinkVariant.IsWellFormedKey(details.Variant))
        {
            throw new DomainRuleException("variant", "A variant key is 1 to 16 lowercase letters or digits.");
        }

        if (details.ClickedAt.Kind != DateTimeKind.Utc)
        {
            throw new DomainRuleException("clicked_at", "Click times are UTC.");
        }

        return new LinkClick
        {
            Id = details.EventId is null ? Guid.CreateVersion7(details.ClickedAt) : IdForEvent(details.TrackingId, details.EventId),
            TrackingId = details.TrackingId,
            ClickedAt = TruncateToMicroseconds(details.ClickedAt),
            IpAddress = IpAddresses.Normalise(details.IpAddress),
            UserAgent = details.UserAgent,
            ReferrerUrl = details.ReferrerUrl,
            SessionId = details.SessionId,
            ClickSource = details.ClickSource,
            Metadata = details.Metadata,
            EventId = details.EventId,
            IsBot = classification.IsBot,
            BotReason = classification.Reason,
            BotCategory = classification.Category,
            Signals = signals,
            Origin = details.Origin,
            Country = enrichment.Country,
            DeviceType = enrichment.Device,
            Browser = enrichment.Browser,
            Os = enrichment.Os,
            Variant = details.Variant,
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

    /// <summary>
    /// The network the click came from, coarse enough to group a scanner's fetches (an ASN for hosting and scanner
    /// networks, else the /24 or /48 around the address); null when unknown or not kept (Do-Not-Track). Bursts and
    /// decoys are judged per origin.
    /// </summary>
    public string? Origin { get; private set; }

    /// <summary>ISO 3166 alpha-2 country of the address (DB-IP Lite), upper case; null when unknown.</summary>
    public string? Country { get; private set; }

    /// <summary>The device the user agent names; null when unknown (no agent).</summary>
    public DeviceType? DeviceType { get; private set; }

    /// <summary>Browser family (uap-core), e.g. "Chrome"; null when unknown.</summary>
    public string? Browser { get; private set; }

    /// <summary>Operating system family (uap-core), e.g. "Windows"; null when unknown.</summary>
    public string? Os { get; private set; }

    /// <summary>The stored enrichment.</summary>
    /// <summary>The key of the A/B variant the visitor was sent to; null for a link without variants.</summary>
    public string? Variant { get; private set; }

    public ClickEnrichment Enrichment => new(Country, DeviceType, Browser, Os);

    /// <summary>The stored classification (category and signals).</summary>
    public ClickClassification Classification => new(BotCategory, ClickSignals.Split(Signals));

    /// <summary>
    /// Reclassifies the click after the fact (a burst or a decoy hit it took part in): a click that looked human
    /// becomes <paramref name="category"/> with <paramref name="signal"/> as its reason; a bot keeps its category and
    /// reason. Either way the signal is added. Idempotent: returns false when the signal is already there.
    /// </summary>
    public bool Reclassify(BotCategory category, string signal)
    {
        ArgumentException.ThrowIfNullOrEmpty(signal);
        var signals = ClickSignals.Split(Signals);
        if (signals.Contains(signal, StringComparer.Ordinal))
        {
            return false;
        }

        if (BotCategory == BotCategory.Human && category != BotCategory.Human)
        {
            BotCategory = category;
            IsBot = true;
            BotReason = signal;
            // The signals that fired but did not decide stay after the one that now does.
            signals = [signal, .. signals];
        }
        else
        {
            signals = [.. signals, signal];
        }

        var joined = ClickSignals.Join(signals);
        if (joined is not null && joined.Length <= ClickSignals.MaxStoredLength)
        {
            Signals = joined;
        }

        return true;
    }

    /// <summary>
    /// Sets the click's category whatever it was (a user's correction, or an operator rule for its origin):
    /// <paramref name="signal"/> becomes the first signal and, for a bot, the reason; the signals noted before stay
    /// after it. Unlike <see cref="Reclassify"/> it may turn a bot into a human. Returns false when nothing changed.
    /// </summary>
    public bool Label(BotCategory category, string signal)
    {
        ArgumentException.ThrowIfNullOrEmpty(signal);
        var signals = ClickSignals.Split(Signals);
        if (BotCategory == category && signals.Count > 0 && signals[0] == signal)
        {
            return false;
        }

        BotCategory = category;
        IsBot = category != BotCategory.Human;
        BotReason = IsBot ? signal : null;
        var joined = ClickSignals.Join([signal, .. signals.Where(s => s != signal)]);
        Signals = joined is not null && joined.Length <= ClickSignals.MaxStoredLength ? joined : signal;
        return true;
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
    ClickClassification? Classification)
{
    /// <summary>See <see cref="LinkClick.Origin"/>.</summary>
    public string? Origin { get; init; }

    /// <summary>Country, device, browser and OS; <see cref="ClickEnrichment.Unknown"/> when not given.</summary>
    public ClickEnrichment? Enrichment { get; init; }

    /// <summary>See <see cref="LinkClick.Variant"/>.</summary>
    public string? Variant { get; init; }
}
