using LinkTracking.Domain.Links;

namespace LinkTracking.Domain.UnitTests.Links;

/// <summary>Builds valid <see cref="TrackedLink"/>s; each test changes only what it is about.</summary>
public sealed class TrackedLinkBuilder
{
    public static readonly DateTime DefaultNow = new(2025, 7, 27, 21, 15, 30, DateTimeKind.Utc);

    private string _trackingId = "lt_abc123def456";
    private string _url = "https://www.linkedin.com/in/jane-doe";
    private string _function = LinkFunction.LinkedIn;
    private string? _type;
    private Guid? _jobId;
    private Guid? _applicationId;
    private string? _description;
    private string? _createdBy;
    private DateTime _now = DefaultNow;

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

    public TrackedLinkBuilder CreatedAt(DateTime now)
    {
        _now = now;
        return this;
    }

    public TrackedLink Build() =>
        TrackedLink.Create(
            TrackingId.Parse(_trackingId),
            TargetUrl.Create(_url),
            _function,
            _type,
            _jobId,
            _applicationId,
            _description,
            _createdBy,
            _now);
}
