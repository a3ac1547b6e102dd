using LinkTracking.Domain.Common;

namespace LinkTracking.Domain.Webhooks;

/// <summary>
/// Where to send which events: a URL, the event types, optional job/application filters and the signing secret
/// (stored protected; see docs/webhooks.md). A subscription whose deliveries keep failing is disabled and says why.
/// </summary>
public sealed class WebhookSubscription
{
    public const int MaxUrlLength = 2000;
    public const int MaxEvents = 16;
    public const int MaxReasonLength = 500;

    private WebhookSubscription()
    {
        Url = null!;
        Events = null!;
        ProtectedSecret = null!;
    }

    public Guid Id { get; private set; }

    public string Url { get; private set; }

    /// <summary>The event types, comma-separated (<see cref="EventList"/>).</summary>
    public string Events { get; private set; }

    public Guid? JobId { get; private set; }

    public Guid? ApplicationId { get; private set; }

    /// <summary>The <c>whsec_…</c> secret, protected by the infrastructure (never the plain text at rest unless configured so).</summary>
    public string ProtectedSecret { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public bool IsActive { get; private set; }

    public DateTime? DisabledAt { get; private set; }

    public string? DisabledReason { get; private set; }

    /// <summary>Since when every delivery has failed; null after a success.</summary>
    public DateTime? FailingSince { get; private set; }

    public IReadOnlyList<string> EventList => Events.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public static WebhookSubscription Create(string url, IReadOnlyCollection<string> events, Guid? jobId, Guid? applicationId, string protectedSecret, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (string.IsNullOrWhiteSpace(url) || url.Length > MaxUrlLength)
        {
            throw new DomainRuleException("url", $"A webhook url is 1 to {MaxUrlLength} characters.");
        }

        if (events.Count == 0 || events.Count > MaxEvents || !events.All(WebhookEventTypes.IsKnown))
        {
            throw new DomainRuleException("events", $"events are one or more of: {string.Join(", ", WebhookEventTypes.All)}.");
        }

        return new WebhookSubscription
        {
            Id = Guid.CreateVersion7(now),
            Url = url,
            Events = string.Join(',', events.Distinct(StringComparer.Ordinal)),
            JobId = jobId,
            ApplicationId = applicationId,
            ProtectedSecret = protectedSecret,
            CreatedAt = now,
            IsActive = true,
        };
    }

    /// <summary>Whether an event of <paramref name="type"/> about that job/application goes to this subscription.</summary>
    public bool Wants(string type, Guid? jobId, Guid? applicationId) =>
        IsActive
        && EventList.Contains(type, StringComparer.Ordinal)
        && (JobId is null || JobId == jobId)
        && (ApplicationId is null || ApplicationId == applicationId);

    public void RecordSuccess() => FailingSince = null;

    /// <summary>
    /// Notes a failed attempt; when every delivery has failed for <paramref name="disableAfter"/>, disables the
    /// subscription with the reason. Returns true when this call disabled it.
    /// </summary>
    public bool RecordFailure(string reason, DateTime now, TimeSpan disableAfter)
    {
        FailingSince ??= now;
        if (!IsActive || now - FailingSince < disableAfter)
        {
            return false;
        }

        IsActive = false;
        DisabledAt = now;
        var text = $"Every delivery failed since {FailingSince:O}; last: {reason}";
        DisabledReason = text.Length > MaxReasonLength ? text[..MaxReasonLength] : text;
        return true;
    }
}
