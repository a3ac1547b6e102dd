namespace LinkTracking.Domain.Links;

/// <summary>
/// One recorded change of a link's settings (a row of its history): which field, from what to what, when, and
/// with which API key. Values are the wire forms (URLs, ISO 8601 instants, numbers), null when unset.
/// </summary>
public sealed class LinkChange
{
    public const int MaxValueLength = 1000;

    private LinkChange()
    {
        Field = null!;
    }

    public Guid Id { get; private set; }

    public Guid LinkId { get; private set; }

    /// <summary><c>original_url</c>, <c>description</c>, <c>expires_at</c>, <c>max_human_clicks</c> or <c>fallback_url</c>.</summary>
    public string Field { get; private set; }

    public string? OldValue { get; private set; }

    public string? NewValue { get; private set; }

    public DateTime ChangedAt { get; private set; }

    /// <summary>The API key that made the change; null when the service itself did.</summary>
    public Guid? ApiKeyId { get; private set; }

    public static LinkChange Create(Guid linkId, string field, string? oldValue, string? newValue, DateTime changedAt, Guid? apiKeyId)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        return new LinkChange
        {
            Id = Guid.CreateVersion7(changedAt),
            LinkId = linkId,
            Field = field,
            OldValue = oldValue,
            NewValue = newValue,
            ChangedAt = changedAt,
            ApiKeyId = apiKeyId,
        };
    }
}
