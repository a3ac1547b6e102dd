using LinkTracking.Domain.Links;

namespace LinkTracking.Tests.Shared;

/// <summary>
/// Builds valid <see cref="TrackedLink"/>s; each test changes only what it is about. One builder for every test project
/// (linked from tests/Shared), so the defaults cannot drift apart.
/// </summary>
public sealed class TrackedLinkBuilder
{
    /// <summary>When a link is created unless a test says otherwise: three days before the tests' usual "now".</summary>
    public static readonly DateTime DefaultCreatedAt = new(2025, 7, 24, 21, 15, 30, DateTimeKind.Utc);

    private string _trackingId = "lt_abc123def456";
    private string _url = "https://www.linkedin.com/in/jane-doe";
    private string _function = LinkFunction.LinkedIn;
    private string? _type = LinkType.Profile;
    private Guid? _jobId;
    private Guid? _applicationId;
    private string? _description;
    private string? _createdBy;
    private DateTime _createdAt = DefaultCreatedAt;
    private bool _active = true;
    private LinkLimits? _limits;

    public TrackedLinkBuilder WithTrackingId(string trackingId)
    {
        _trackingId = trackingId;
        return this;
    }

    public TrackedLinkBuilder WithUrl(string url)
    {
        _url = url;
        return this;
    }

    public TrackedLinkBuilder WithFunction(string function)
    {
        _function = function;
        return this;
    }

    public TrackedLinkBuilder WithType(string? type)
    {
        _type = type;
        return this;
    }

    public TrackedLinkBuilder ForJob(Guid jobId)
    {
        _jobId = jobId;
        return this;
    }

    public TrackedLinkBuilder ForApplication(Guid applicationId)
    {
        _applicationId = applicationId;
        return this;
    }

    public TrackedLinkBuilder WithDescription(string? description)
    {
        _description = description;
        return this;
    }

    public TrackedLinkBuilder CreatedBy(string? createdBy)
    {
        _createdBy = createdBy;
        return this;
    }

    public TrackedLinkBuilder CreatedAt(DateTime createdAt)
    {
        _createdAt = createdAt;
        return this;
    }

    public TrackedLinkBuilder WithLimits(DateTime? expiresAt, int? maxHumanClicks, string? fallbackUrl)
    {
        _limits = new LinkLimits(expiresAt, maxHumanClicks, fallbackUrl is null ? null : TargetUrl.Create(fallbackUrl));
        return this;
    }

    /// <summary>Deactivated an hour after it was created.</summary>
    public TrackedLinkBuilder Inactive()
    {
        _active = false;
        return this;
    }

    public TrackedLink Build()
    {
        var link = TrackedLink.Create(
            TrackingId.Parse(_trackingId),
            TargetUrl.Create(_url),
            _function,
            _type,
            _jobId,
            _applicationId,
            _description,
            _createdBy,
            _createdAt,
            limits: _limits);
        if (!_active)
        {
            link.Deactivate(_createdAt.AddHours(1));
        }

        return link;
    }
}
