using AutoMapper;
using LinkTracking.Application.Common.Mapping;
using LinkTracking.Application.UnitTests.Support;
using LinkTracking.Tests.Shared;

namespace LinkTracking.Application.UnitTests.Common;

public sealed class MappingTests
{
    [Test]
    public void MappingConfiguration_IsValid()
    {
        var configuration = new MapperConfiguration(cfg => cfg.AddProfile<MappingProfile>());

        Assert.DoesNotThrow(configuration.AssertConfigurationIsValid);
    }

    [Test]
    public void Map_TrackedLinkToLinkDto_CopiesEveryWireField()
    {
        var jobId = Guid.NewGuid();
        var applicationId = Guid.NewGuid();
        var link = new TrackedLinkBuilder()
            .WithTrackingId("lt_abc123def456")
            .WithUrl("https://bücher.example/katalog")
            .WithFunction("Company_Website")
            .WithType("job_posting")
            .ForJob(jobId)
            .ForApplication(applicationId)
            .WithDescription("Company website")
            .CreatedBy("orchestrator")
            .CreatedAt(new DateTime(2025, 7, 1, 9, 30, 0, DateTimeKind.Utc))
            .WithLimits(new DateTime(2025, 9, 1, 0, 0, 0, DateTimeKind.Utc), 25, "https://example.com/closed")
            .Inactive()
            .Build();

        var dto = Mapping.CreateMapper().Map<LinkDto>(link);

        Assert.That(dto, Is.EqualTo(new LinkDto
        {
            TrackingId = "lt_abc123def456",
            RedirectUrl = string.Empty,
            OriginalUrl = "https://xn--bcher-kva.example/katalog",
            LinkFunction = "Company_Website",
            LinkType = "job_posting",
            JobId = jobId,
            ApplicationId = applicationId,
            Description = "Company website",
            CreatedBy = "orchestrator",
            CreatedAt = new DateTime(2025, 7, 1, 9, 30, 0, DateTimeKind.Utc),
            IsActive = false,
            ExpiresAt = new DateTime(2025, 9, 1, 0, 0, 0, DateTimeKind.Utc),
            MaxHumanClicks = 25,
            FallbackUrl = "https://example.com/closed",
        }));
    }

    [Test]
    public void LinkDtoMapper_AddsTheRedirectUrl()
    {
        var link = new TrackedLinkBuilder().WithTrackingId("lt_abc123def456").Build();

        var dto = Mapping.CreateLinkDtoMapper().ToDto(link);

        Assert.That(dto.RedirectUrl, Is.EqualTo("https://go.example.com/track/lt_abc123def456"));
    }
}
