using AutoMapper;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Mapping;
using Moq;

namespace LinkTracking.Application.UnitTests.Support;

public static class Mapping
{
    public const string PublicBase = "https://go.example.com";

    public static IMapper CreateMapper() =>
        new MapperConfiguration(cfg => cfg.AddProfile<MappingProfile>()).CreateMapper();

    /// <summary>An <see cref="ILinkUrls"/> answering <c>https://go.example.com/track/{id}</c>.</summary>
    public static Mock<ILinkUrls> LinkUrls()
    {
        var urls = new Mock<ILinkUrls>();
        urls.Setup(u => u.RedirectUrlFor(It.IsAny<string>())).Returns((string id) => RedirectUrlFor(id));
        return urls;
    }

    public static string RedirectUrlFor(string trackingId) => $"{PublicBase}/track/{trackingId}";

    public static LinkDtoMapper CreateLinkDtoMapper() => new(CreateMapper(), LinkUrls().Object);
}
