using AutoMapper;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Links;

namespace LinkTracking.Application.Common.Mapping;

/// <summary>Maps a link with AutoMapper and adds its public redirect URL and its variants (a nested list, kept out of the flat map).</summary>
public sealed class LinkDtoMapper(IMapper mapper, ILinkUrls linkUrls)
{
    public LinkDto ToDto(TrackedLink link) =>
        mapper.Map<LinkDto>(link) with
        {
            RedirectUrl = linkUrls.RedirectUrlFor(link),
            Variants = link.Variants?.Items.Select(v => new LinkVariantDto(v.Key, v.Url.Value, v.Weight)).ToArray(),
        };
}
