using AutoMapper;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Links;

namespace LinkTracking.Application.Common.Mapping;

/// <summary>Maps a link with AutoMapper and adds its public redirect URL.</summary>
public sealed class LinkDtoMapper(IMapper mapper, ILinkUrls linkUrls)
{
    public LinkDto ToDto(TrackedLink link) =>
        mapper.Map<LinkDto>(link) with { RedirectUrl = linkUrls.RedirectUrlFor(link) };
}
