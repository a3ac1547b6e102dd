using LinkTracking.Application.Common.Mapping;
using LinkTracking.Application.Common.Models;
using Mediator;

namespace LinkTracking.Application.Links.Queries.ListLinks;

/// <summary>Links matching the filters, newest first.</summary>
public sealed record ListLinksQuery(
    Guid? JobId = null,
    Guid? ApplicationId = null,
    string? LinkFunction = null,
    bool? IsActive = null,
    int Page = 1,
    int PageSize = ListLinksQuery.DefaultPageSize) : IQuery<PagedResult<LinkDto>>
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
}
