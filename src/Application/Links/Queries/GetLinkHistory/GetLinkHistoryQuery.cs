using Mediator;

namespace LinkTracking.Application.Links.Queries.GetLinkHistory;

/// <summary>The recorded changes of a link's settings, oldest first (at most <see cref="MaxChanges"/>).</summary>
public sealed record GetLinkHistoryQuery(string TrackingId) : IQuery<LinkHistoryDto>
{
    public const int MaxChanges = 500;
}

/// <summary>A link's history on the wire.</summary>
public sealed record LinkHistoryDto(string TrackingId, IReadOnlyList<LinkChangeDto> Changes);

/// <summary>One change: the field, its old and new wire values (null when unset), when, and with which API key.</summary>
public sealed record LinkChangeDto(string Field, string? OldValue, string? NewValue, DateTime ChangedAt, Guid? ApiKeyId);
