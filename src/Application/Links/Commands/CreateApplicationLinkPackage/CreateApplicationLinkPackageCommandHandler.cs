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
/// application does not have yet: calling it twice returns the same tracking ids. A <c>sent_at</c> is set on the
/// links that have none yet (the package is often made before the email goes out). The decoy, when asked for, is one
/// more link (function <c>Decoy</c>) to <c>LinkTracking:DecoyUrl</c>, or to the package's first destination, so that
/// a scanner following it sees an ordinary page.
/// </summary>
public sealed class CreateApplicationLinkPackageCommandHandler(
    ITrackedLinkRepository links,
    TrackedLinkFactory factory,
    ILinkUrls linkUrls,
    UrlPolicy urlPolicy,
    ILinkCache cache,
    IUnitOfWork unitOfWork,
    TimeProvider timeProvider,
    IOptions<LinkTrackingOptions> options)
    : ICommandHandler<CreateApplicationLinkPackageCommand, ApplicationLinkPackageDto>
{
    public async ValueTask<ApplicationLinkPackageDto> Handle(CreateApplicationLinkPackageCommand command, CancellationToken cancellationToken)
    {
        var wanted = BuildPackage(command);
        var decoy = command.Decoy ? DecoyFor(command, wanted) : null;
        var existing = await links.ListByApplicationAsync(command.ApplicationId, cancellationToken);
        await MarkSentAsync(existing, command.SentAt, cancellationToken);
        var byFunction = existing
            .GroupBy(l => l.LinkFunction, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(l => l.CreatedAt).First(), StringComparer.Ordinal);

        var missing = wanted.Values.Append(decoy).OfType<NewLink>().Where(w => !byFunction.ContainsKey(w.LinkFunction)).ToList();
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

        var decoyUrl = byFunction.TryGetValue(LinkFunction.Decoy, out var decoyLink) && command.Decoy
            ? linkUrls.RedirectUrlFor(decoyLink.TrackingId.Value)
            : null;
        return new ApplicationLinkPackageDto(result, decoyUrl);
    }

    /// <summary>Sets <c>sent_at</c> on the existing links that have none, and drops them from the redirect's cache.</summary>
    private async Task MarkSentAsync(IReadOnlyList<TrackedLink> existing, DateTimeOffset? sentAt, CancellationToken cancellationToken)
    {
        if (sentAt is null)
        {
            return;
        }

        var now = timeProvider.GetUtcNow().UtcDateTime;
        var marked = existing.Where(l => l.MarkSent(sentAt.Value.UtcDateTime, now)).ToList();
        if (marked.Count == 0)
        {
            return;
        }

        await unitOfWork.SaveChangesAsync(cancellationToken);
        foreach (var link in marked)
        {
            await cache.InvalidateAsync(link.TrackingId.Value, cancellationToken);
        }
    }

    private NewLink? DecoyFor(CreateApplicationLinkPackageCommand command, Dictionary<string, NewLink> package)
    {
        var url = options.Value.DecoyUrl is { Length: > 0 } configured && urlPolicy.Check(configured) is null
            ? configured
            : package.Values.FirstOrDefault()?.OriginalUrl;
        return url is null
            ? null
            : new NewLink(url, LinkFunction.Decoy, LinkType.Internal, command.JobId, command.ApplicationId, "Hidden decoy: whoever follows it is a scanner", "application-package")
            {
                SentAt = command.SentAt?.UtcDateTime,
            };
    }

    private Dictionary<string, NewLink> BuildPackage(CreateApplicationLinkPackageCommand command)
    {
        var package = new Dictionary<string, NewLink>(StringComparer.Ordinal);
        void Add(string function, string? url, string linkType, string description)
        {
            if (!string.IsNullOrWhiteSpace(url))
            {
                package[function] = new NewLink(url, function, linkType, command.JobId, command.ApplicationId, description, "application-package")
                {
                    SentAt = command.SentAt?.UtcDateTime,
                };
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
