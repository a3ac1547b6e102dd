using System.Net;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;

namespace LinkTracking.Domain.UnitTests.Clicks;

/// <summary>Builds valid <see cref="ClickDetails"/>; each test changes only what it is about.</summary>
public sealed class ClickDetailsBuilder
{
    public static readonly DateTime DefaultClickedAt = new(2025, 7, 27, 21, 15, 30, DateTimeKind.Utc);

    private ClickDetails _details = new(
        TrackingId.Parse("lt_abc123def456"),
        DefaultClickedAt,
        IPAddress.Parse("203.0.113.77"),
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0.0.0",
        "https://www.linkedin.com/feed/",
        "session-1",
        ClickSource.LinkedIn,
        Metadata: null,
        EventId: null,
        Classification: null);

    public ClickDetailsBuilder For(string trackingId)
    {
        _details = _details with { TrackingId = TrackingId.Parse(trackingId) };
        return this;
    }

    public ClickDetailsBuilder At(DateTime clickedAt)
    {
        _details = _details with { ClickedAt = clickedAt };
        return this;
    }

    public ClickDetailsBuilder From(IPAddress? ipAddress)
    {
        _details = _details with { IpAddress = ipAddress };
        return this;
    }

    public ClickDetailsBuilder WithEventId(string? eventId)
    {
        _details = _details with { EventId = eventId };
        return this;
    }

    public ClickDetailsBuilder ClassifiedAs(ClickClassification? classification)
    {
        _details = _details with { Classification = classification };
        return this;
    }

    public ClickDetailsBuilder With(Func<ClickDetails, ClickDetails> change)
    {
        _details = change(_details);
        return this;
    }

    public ClickDetails Build() => _details;

    public LinkClick Record() => LinkClick.Record(_details);
}
