using FluentValidation;
using LinkTracking.Application.Common.Options;
using LinkTracking.Application.Common.Security;
using LinkTracking.Application.Common.Validation;
using Microsoft.Extensions.Options;

namespace LinkTracking.Application.Links.Commands.CreateApplicationLinkPackage;

public sealed class CreateApplicationLinkPackageCommandValidator : AbstractValidator<CreateApplicationLinkPackageCommand>
{
    public const int MaxExtraLinks = 50;

    public CreateApplicationLinkPackageCommandValidator(UrlPolicy urlPolicy, IOptions<LinkTrackingOptions> options, TimeProvider timeProvider)
    {
        RuleFor(c => c.SentAt).MustBeSentAt(timeProvider);
        var allowed = options.Value.AllowedFunctions.ToArray();
        RuleFor(c => c.ApplicationId).NotEmpty();
        When(c => c.JobData is not null, () =>
        {
            RuleFor(c => c.JobData!.CompanyWebsite).MustBeAllowedTargetUrl(urlPolicy).When(c => !string.IsNullOrEmpty(c.JobData!.CompanyWebsite));
            RuleFor(c => c.JobData!.ApplyUrl).MustBeAllowedTargetUrl(urlPolicy).When(c => !string.IsNullOrEmpty(c.JobData!.ApplyUrl));
            RuleFor(c => c.JobData!.JobUrl).MustBeAllowedTargetUrl(urlPolicy).When(c => !string.IsNullOrEmpty(c.JobData!.JobUrl));
        });
        RuleFor(c => c.ExtraLinks).Must(l => l is null || l.Count <= MaxExtraLinks)
            .WithMessage($"At most {MaxExtraLinks} extra links.");
        RuleForEach(c => c.ExtraLinks).NotNull().WithMessage("Each extra link is an object.");
        RuleForEach(c => c.ExtraLinks).ChildRules(extra =>
        {
            extra.RuleFor(e => e.LinkFunction).MustBeLinkFunction(allowed);
            extra.RuleFor(e => e.OriginalUrl).NotEmpty().MustBeAllowedTargetUrl(urlPolicy);
            extra.RuleFor(e => e.LinkType).MustBeLinkType();
        });
    }
}
