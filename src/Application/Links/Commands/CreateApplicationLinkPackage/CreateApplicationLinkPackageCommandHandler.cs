using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Options;
using LinkTracking.Application.Common.Security;
using LinkTracking.Application.Links.Common;
using LinkTracking.Domain.Links;
using Mediator;
using Microsoft.Extensions.Options;

namespace LinkTracking.Application.Links.Commands.CreateApplicationLinkPackage;

/// <summary>
/// Builds the package from, in order, the configured profile links, the job's own links and the extra links
/// (a later source replaces an earlier one for the same function), then creates only the functions the
/// application does not have yet: calling it twice returns the same tracking ids.
/// </summary>
public sealed class CreateApplicationLinkPackageCommandHandler(
    ITrackedLinkRepository links,
    TrackedLinkFactory factory,
    ILinkUrls linkUrls,
    UrlPolicy urlPolicy,
    IOptions<LinkTrackingOptions> options)
    : ICommandHandler<CreateApplicationLinkPackageCommand, ApplicationLinkPackageDto>
{
    public async ValueTask<ApplicationLinkPackageDto> Handle(CreateApplicationLinkPackageCommand command, CancellationToken cancellationToken)
    {
        var wanted = BuildPackage(command);
        var existing = await links.ListByApplicationAsync(command.ApplicationId, cancellationToken);
        var byFunction = existing
            .GroupBy(l => l.LinkFunction, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(l => l.CreatedAt).First(), StringComparer.Ordinal);

        var missing = wanted.Values.Where(w => !byFunction.ContainsKey(w.LinkFunction)).ToList();
        if (missing.Count > 0)
        {
            foreach (var link in await factory.CreateManyAsync(missing, cancellationToken))
            {
                byFunction[link.LinkFunction] = link;
            }
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var function in wanted.Keys)
        {
            result[function] = linkUrls.RedirectUrlFor(byFunction[function].TrackingId.Value);
        }

        return new ApplicationLinkPackageDto(result);
    }

    private Dictionary<string, NewLink> BuildPackage(CreateApplicationLinkPackageCommand command)
    {
        var package = new Dictionary<string, NewLink>(StringComparer.Ordinal);
        void Add(string function, string? url, string linkType, string description)
        {
            if (!string.IsNullOrWhiteSpace(url))
            {
                package[function] = new NewLink(url, function, linkType, command.JobId, command.ApplicationId, description, "application-package");
            }
        }

        foreach (var (function, url) in options.Value.StandardLinks)
        {
            // Configuration is operator input: a profile URL the policy refuses is left out rather than failing every package.
            if (LinkFunction.IsWellFormed(function) && urlPolicy.Check(url) is null)
            {
                Add(function, url, StandardLinkType(function), $"{function} profile link");
            }
        }

        Add(LinkFunction.CompanyWebsite, command.JobData?.CompanyWebsite, LinkType.JobPosting, "Company website");
        Add(LinkFunction.ApplyNow, command.JobData?.ApplyUrl, LinkType.Application, "Apply now");
        Add(LinkFunction.JobPosting, command.JobData?.JobUrl, LinkType.JobPosting, "Job posting");
        foreach (var extra in command.ExtraLinks ?? [])
        {
            Add(extra.LinkFunction!, extra.OriginalUrl, extra.LinkType ?? LinkType.External, $"{extra.LinkFunction} link");
        }

        return package;
    }

    private static string StandardLinkType(string function) => function switch
    {
        LinkFunction.LinkedIn or LinkFunction.GitHub or LinkFunction.Portfolio => LinkType.Profile,
        LinkFunction.Calendly => LinkType.Networking,
        LinkFunction.Resume or LinkFunction.CoverLetter or LinkFunction.References => LinkType.Document,
        LinkFunction.Contact => LinkType.Contact,
        _ => LinkType.External,
    };
}
