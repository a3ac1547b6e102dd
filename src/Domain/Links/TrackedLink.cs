using LinkTracking.Domain.Common;

namespace LinkTracking.Domain.Links;

/// <summary>A tracked link: the aggregate behind one <c>/track/{tracking_id}</c> redirect.</summary>
public sealed class TrackedLink
{
    public const int MaxDescriptionLength = 1000;
    public const int MaxCreatedByLength = 100;
    public const string DefaultCreatedBy = "system";
    public const int MaxHumanClicksLimit = 1_000_000_000;
    public const int MaxDomainLength = 253;

    /// <summary>How far in the future a <c>sent_at</c> may be (clock skew between the orchestrator and us).</summary>
    public static readonly TimeSpan MaxSentAtSkew = TimeSpan.FromMinutes(5);

    private TrackedLink()
    {
        TrackingId = null!;
        OriginalUrl = null!;
        LinkFunction = null!;
        LinkType = null!;
        CreatedBy = null!;
    }

    public Guid Id { get; private set; }

    public TrackingId TrackingId { get; private set; }

    public TargetUrl OriginalUrl { get; private set; }

    public string LinkFunction { get; private set; }

    public string LinkType { get; private set; }

    public Guid? JobId { get; private set; }

    public Guid? ApplicationId { get; private set; }

    public string? Description { get; private set; }

    public string CreatedBy { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    public bool IsActive { get; private set; }

    /// <summary>When the email carrying this link went out, if the orchestrator said; fetches soon after are scanners'.</summary>
    public DateTime? SentAt { get; private set; }

    /// <summary>After this instant (UTC) the link answers 410 Gone, or redirects to <see cref="FallbackUrl"/>.</summary>
    public DateTime? ExpiresAt { get; private set; }

    /// <summary>Once this many human clicks were counted, the link answers like an expired one. Scanners never count.</summary>
    public int? MaxHumanClicks { get; private set; }

    /// <summary>Where an expired or exhausted link sends its visitors instead of answering 410.</summary>
    public TargetUrl? FallbackUrl { get; private set; }

    /// <summary>
    /// When <c>link.expired</c> was announced for the current <see cref="ExpiresAt"/>; null until then. Changing the
    /// expiry clears it, so a link given a new expiry is announced again when that one passes.
    /// </summary>
    public DateTime? ExpiryAnnouncedAt { get; private set; }

    /// <summary>The A/B destinations that replace <see cref="OriginalUrl"/> on the redirect; null for a plain link.</summary>
    public LinkVariants? Variants { get; private set; }

    /// <summary>The branded host the link is served on (lower case), or null for the default domain (<c>/track/{id}</c>).</summary>
    public string? Domain { get; private set; }

    /// <summary>The link's code on <see cref="Domain"/> (<see cref="Links.ShortCode"/>); null without a domain.</summary>
    public string? ShortCode { get; private set; }

    /// <summary>The application's hidden decoy: whoever follows it is a scanner; it is left out of every count.</summary>
    public bool IsDecoy => Links.LinkFunction.IsDecoy(LinkFunction);

    /// <summary>Creates an active link. <paramref name="now"/> is UTC.</summary>
    public static TrackedLink Create(
        TrackingId trackingId,
        TargetUrl originalUrl,
        string linkFunction,
        string? linkType,
        Guid? jobId,
        Guid? applicationId,
        string? description,
        string? createdBy,
        DateTime now,
        DateTime? sentAt = null,
        LinkLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(trackingId);
        ArgumentNullException.ThrowIfNull(originalUrl);
        if (!Links.LinkFunction.IsWellFormed(linkFunction))
        {
            throw new DomainRuleException("link_function", "A link function is 1 to 50 letters, digits, '_' or '-'.");
        }

        linkType ??= Links.LinkType.External;
        if (!Links.LinkType.IsKnown(linkType))
        {
            throw new DomainRuleException("link_type", $"Unknown link type '{linkType}'.");
        }

        if (description is { Length: > MaxDescriptionLength })
        {
            throw new DomainRuleException("description", $"A description is at most {MaxDescriptionLength} characters.");
        }

        createdBy = string.IsNullOrWhiteSpace(createdBy) ? DefaultCreatedBy : createdBy;
        if (createdBy.Length > MaxCreatedByLength)
        {
            throw new DomainRuleException("created_by", $"created_by is at most {MaxCreatedByLength} characters.");
        }

        if (sentAt is { Kind: not DateTimeKind.Utc })
        {
            throw new DomainRuleException("sent_at", "sent_at is UTC.");
        }

        if (sentAt > now + MaxSentAtSkew)
        {
            throw new DomainRuleException("sent_at", "sent_at is not more than 5 minutes in the future.");
        }

        return new TrackedLink
        {
            Id = Guid.CreateVersion7(now),
            TrackingId = trackingId,
            OriginalUrl = originalUrl,
            LinkFunction = linkFunction,
            LinkType = linkType,
            JobId = jobId,
            ApplicationId = applicationId,
            Description = description,
            CreatedBy = createdBy,
            CreatedAt = now,
            UpdatedAt = now,
            IsActive = true,
            SentAt = sentAt,
            ExpiresAt = CheckExpiresAt(limits?.ExpiresAt),
            MaxHumanClicks = CheckMaxHumanClicks(limits?.MaxHumanClicks),
            FallbackUrl = limits?.FallbackUrl,
        };
    }

    /// <summary>
    /// Places a new link on a branded domain under <paramref name="shortCode"/> (the caller makes sure the code is free
    /// there). Once only: a link's public address never changes.
    /// </summary>
    public void PlaceOnDomain(string domain, string shortCode)
    {
        if (Domain is not null)
        {
            throw new DomainRuleException("domain", "A link's domain is set once, when it is created.");
        }

        if (string.IsNullOrWhiteSpace(domain) || domain.Length > MaxDomainLength)
        {
            throw new DomainRuleException("domain", $"A domain is a host name of at most {MaxDomainLength} characters.");
        }

        if (!Links.ShortCode.IsWellFormed(shortCode))
        {
            throw new DomainRuleException("short_code", $"A short code is {Links.ShortCode.Length} characters of [a-z0-9].");
        }

        Domain = domain.ToLowerInvariant();
        ShortCode = shortCode;
    }

    /// <summary>Changes the destination. Returns the change, or null when it is the same.</summary>
    public LinkChange? ChangeOriginalUrl(TargetUrl originalUrl, DateTime now, Guid? apiKeyId)
    {
        ArgumentNullException.ThrowIfNull(originalUrl);
        return Record("original_url", OriginalUrl.Value, originalUrl.Value, () => OriginalUrl = originalUrl, now, apiKeyId);
    }

    /// <summary>Changes (or clears) the description. Returns the change, or null when it is the same.</summary>
    public LinkChange? ChangeDescription(string? description, DateTime now, Guid? apiKeyId)
    {
        if (description is { Length: > MaxDescriptionLength })
        {
            throw new DomainRuleException("description", $"A description is at most {MaxDescriptionLength} characters.");
        }

        return Record("description", Description, description, () => Description = description, now, apiKeyId);
    }

    /// <summary>Changes (or clears) the expiry. Returns the change, or null when it is the same.</summary>
    public LinkChange? ChangeExpiresAt(DateTime? expiresAt, DateTime now, Guid? apiKeyId)
    {
        CheckExpiresAt(expiresAt);
        return Record(
            "expires_at",
            Format(ExpiresAt),
            Format(expiresAt),
            () =>
            {
                ExpiresAt = expiresAt;
                ExpiryAnnouncedAt = null;
            },
            now,
            apiKeyId);
    }

    /// <summary>Changes (or clears) the human click limit. Returns the change, or null when it is the same.</summary>
    public LinkChange? ChangeMaxHumanClicks(int? maxHumanClicks, DateTime now, Guid? apiKeyId)
    {
        CheckMaxHumanClicks(maxHumanClicks);
        return Record(
            "max_human_clicks",
            MaxHumanClicks?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            maxHumanClicks?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            () => MaxHumanClicks = maxHumanClicks,
            now,
            apiKeyId);
    }

    /// <summary>Changes (or clears) the fallback. Returns the change, or null when it is the same.</summary>
    public LinkChange? ChangeFallbackUrl(TargetUrl? fallbackUrl, DateTime now, Guid? apiKeyId) =>
        Record("fallback_url", FallbackUrl?.Value, fallbackUrl?.Value, () => FallbackUrl = fallbackUrl, now, apiKeyId);

    /// <summary>
    /// Splits the link's traffic between variants, or (null) sends it all to <see cref="OriginalUrl"/> again. Visitors
    /// keep their variant as far as the new weights allow (<see cref="VariantAssignment"/>). Returns the change, or
    /// null when it is the same.
    /// </summary>
    public LinkChange? ChangeVariants(LinkVariants? variants, DateTime now, Guid? apiKeyId)
    {
        if (LinkVariants.SameAs(Variants, variants))
        {
            return null;
        }

        var old = Variants;
        Variants = variants;
        UpdatedAt = now;
        return LinkChange.Create(Id, LinkVariants.Field, old?.Describe(), variants?.Describe(), now, apiKeyId);
    }

    private LinkChange? Record(string field, string? oldValue, string? newValue, Action apply, DateTime now, Guid? apiKeyId)
    {
        if (string.Equals(oldValue, newValue, StringComparison.Ordinal))
        {
            return null;
        }

        apply();
        UpdatedAt = now;
        return LinkChange.Create(Id, field, oldValue, newValue, now, apiKeyId);
    }

    private static string? Format(DateTime? value) =>
        value?.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static DateTime? CheckExpiresAt(DateTime? expiresAt) =>
        expiresAt is { Kind: not DateTimeKind.Utc }
            ? throw new DomainRuleException("expires_at", "expires_at is UTC.")
            : expiresAt;

    private static int? CheckMaxHumanClicks(int? maxHumanClicks) =>
        maxHumanClicks is < 1 or > MaxHumanClicksLimit
            ? throw new DomainRuleException("max_human_clicks", $"max_human_clicks is between 1 and {MaxHumanClicksLimit}.")
            : maxHumanClicks;

    /// <summary>Records when the email carrying the link went out, if not known yet. Returns false when it was.</summary>
    public bool MarkSent(DateTime sentAt, DateTime now)
    {
        if (SentAt is not null)
        {
            return false;
        }

        if (sentAt.Kind != DateTimeKind.Utc || sentAt > now + MaxSentAtSkew)
        {
            throw new DomainRuleException("sent_at", "sent_at is UTC and not more than 5 minutes in the future.");
        }

        SentAt = sentAt;
        UpdatedAt = now;
        return true;
    }

    /// <summary>Stops the link from redirecting. Returns false when it was already inactive.</summary>
    public bool Deactivate(DateTime now) => SetActive(false, now);

    /// <summary>Lets the link redirect again. Returns false when it was already active.</summary>
    public bool Activate(DateTime now) => SetActive(true, now);

    private bool SetActive(bool active, DateTime now)
    {
        if (IsActive == active)
        {
            return false;
        }

        IsActive = active;
        UpdatedAt = now;
        return true;
    }
}
