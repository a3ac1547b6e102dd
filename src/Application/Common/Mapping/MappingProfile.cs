using AutoMapper;
using LinkTracking.Domain.Links;

namespace LinkTracking.Application.Common.Mapping;

/// <summary>Entity → DTO maps. Flat only (see ADR 0003); never used on the redirect or click-ingest path.</summary>
public sealed class MappingProfile : Profile
{
    public MappingProfile()
    {
        CreateMap<TrackedLink, LinkDto>()
            .ForMember(d => d.TrackingId, o => o.MapFrom(s => s.TrackingId.Value))
            .ForMember(d => d.OriginalUrl, o => o.MapFrom(s => s.OriginalUrl.Value))
            .ForMember(d => d.FallbackUrl, o => o.MapFrom(s => s.FallbackUrl == null ? null : s.FallbackUrl.Value))
            .ForMember(d => d.RedirectUrl, o => o.Ignore())
            .ForMember(d => d.Variants, o => o.Ignore())
            .MaxDepth(1);
    }
}
