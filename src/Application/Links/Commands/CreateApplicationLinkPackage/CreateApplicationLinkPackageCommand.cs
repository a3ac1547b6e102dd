using Mediator;

namespace LinkTracking.Application.Links.Commands.CreateApplicationLinkPackage;

/// <summary>Creates (or returns) the standard set of links of one application.</summary>
public sealed record CreateApplicationLinkPackageCommand(
    Guid ApplicationId,
    Guid? JobId,
    JobData? JobData,
    IReadOnlyList<ExtraLink>? ExtraLinks) : ICommand<ApplicationLinkPackageDto>;

/// <summary>The job's own URLs; empty ones are skipped.</summary>
public sealed record JobData(string? CompanyWebsite, string? ApplyUrl, string? JobUrl);

public sealed record ExtraLink(string? LinkFunction, string? OriginalUrl, string? LinkType);

/// <summary><c>links</c>: link function → redirect URL.</summary>
public sealed record ApplicationLinkPackageDto(IReadOnlyDictionary<string, string> Links);
