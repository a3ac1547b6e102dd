using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Mapping;
using LinkTracking.Application.Common.Models;
using Mediator;

namespace LinkTracking.Application.Links.Queries.ListLinks;

public sealed class ListLinksQueryHandler(ITrackedLinkRepository links, LinkDtoMapper mapper)
    : IQueryHandler<ListLinksQuery, PagedResult<LinkDto>>
{
    public async ValueTask<PagedResult<LinkDto>> Handle(ListLinksQuery query, CancellationToken cancellationToken)
    {
        var filter = new LinkFilter(query.JobId, query.ApplicationId, query.LinkFunction, query.IsActive);
        var (items, total) = await links.ListAsync(filter, query.Page, query.PageSize, cancellationToken);
        return new PagedResult<LinkDto>(items.Select(mapper.ToDto).ToList(), query.Page, query.PageSize, total);
    }
}
