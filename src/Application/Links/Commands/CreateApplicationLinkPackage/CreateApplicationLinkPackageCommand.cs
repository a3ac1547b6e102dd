using Mediator;

namespace LinkTracking.Application.Links.Commands.CreateApplicationLinkPackage;

/// <summary>
/// Creates (or returns) the standard set of links of one application. <see cref="SentAt"/>: when the email went out
/// (set on the links that have none yet). <see cref="Decoy"/>: also create the application's hidden decoy link.
/// </summary>
public sealed record CreateApplicationLinkPackageCommand(
    Guid ApplicationId,
    Guid? JobId,
    JobData? JobData,
    IReadOnlyList<ExtraLink>? ExtraLinks,
    DateTimeOffset? SentAt = null,
    bool Decoy = false) : ICommand<ApplicationLinkPackageDto>;

/// <summary>The job's own URLs; empty ones are skipped.</summary>
public sealed record JobData(string? CompanyWebsite = null, string? ApplyUrl = null, string? JobUrl = null);

public sealed record ExtraLink(string? LinkFunction, string? OriginalUrl, string? LinkType = null);

/// <summary>
/// <c>links</c>: link function → redirect URL. <c>decoy_url</c>: the hidden decoy's redirect URL when one was asked for
/// (put it where no person sees it; whoever follows it is a scanner).
/// </summary>
public sealed record ApplicationLinkPackageDto(IReadOnlyDictionary<string, string> Links, string? DecoyUrl = null);
