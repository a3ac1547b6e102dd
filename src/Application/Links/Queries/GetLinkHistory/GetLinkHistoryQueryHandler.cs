using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Application.Common.Interfaces;
using Mediator;

namespace LinkTracking.Application.Links.Queries.GetLinkHistory;

public sealed class GetLinkHistoryQueryHandler(ITrackedLinkRepository links, ILinkChangeLog history)
    : IQueryHandler<GetLinkHistoryQuery, LinkHistoryDto>
{
    public async ValueTask<LinkHistoryDto> Handle(GetLinkHistoryQuery query, CancellationToken cancellationToken)
    {
        var link = await links.GetByTrackingIdAsync(query.TrackingId, cancellationToken)
            ?? throw NotFoundException.For("Link", query.TrackingId);
        var changes = await history.ListAsync(link.Id, GetLinkHistoryQuery.MaxChanges, cancellationToken);
        return new LinkHistoryDto(
            link.TrackingId.Value,
            changes.Select(c => new LinkChangeDto(c.Field, c.OldValue, c.NewValue, c.ChangedAt, c.ApiKeyId)).ToList());
    }
}
