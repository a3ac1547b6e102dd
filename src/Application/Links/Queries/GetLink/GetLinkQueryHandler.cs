using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Mapping;
using Mediator;

namespace LinkTracking.Application.Links.Queries.GetLink;

public sealed class GetLinkQueryHandler(ITrackedLinkRepository links, LinkDtoMapper mapper) : IQueryHandler<GetLinkQuery, LinkDto>
{
    public async ValueTask<LinkDto> Handle(GetLinkQuery query, CancellationToken cancellationToken)
    {
        var link = await links.GetByTrackingIdAsync(query.TrackingId, cancellationToken)
            ?? throw NotFoundException.For("Link", query.TrackingId);
        return mapper.ToDto(link);
    }
}
