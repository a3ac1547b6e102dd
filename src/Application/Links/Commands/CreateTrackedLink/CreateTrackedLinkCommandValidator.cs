using FluentValidation;
using LinkTracking.Application.Common.Options;
using LinkTracking.Application.Common.Security;
using LinkTracking.Application.Common.Validation;
using LinkTracking.Application.Links.Common;
using LinkTracking.Domain.Links;
using Microsoft.Extensions.Options;

namespace LinkTracking.Application.Links.Commands.CreateTrackedLink;

public sealed class CreateTrackedLinkCommandValidator : AbstractValidator<CreateTrackedLinkCommand>
{
    public CreateTrackedLinkCommandValidator(UrlPolicy urlPolicy, IOptions<LinkTrackingOptions> options, TimeProvider timeProvider)
    {
        RuleFor(c => c.SentAt).MustBeSentAt(timeProvider);
        RuleFor(c => c.OriginalUrl).NotEmpty().MustBeAllowedTargetUrl(urlPolicy);
        RuleFor(c => c.LinkFunction).MustBeLinkFunction(options.Value.AllowedFunctions.ToArray());
        RuleFor(c => c.LinkType).MustBeLinkType();
        RuleFor(c => c.Description).MaximumLength(TrackedLink.MaxDescriptionLength);
        RuleFor(c => c.CreatedBy).MaximumLength(TrackedLink.MaxCreatedByLength);
        RuleFor(c => c.ExpiresAt).MustBeFutureExpiry(timeProvider);
        RuleFor(c => c.MaxHumanClicks).MustBeMaxHumanClicks();
        RuleFor(c => c.FallbackUrl).MustBeAllowedTargetUrl(urlPolicy).When(c => c.FallbackUrl is not null);
        this.AddVariantRules(c => c.Variants, urlPolicy);
        RuleFor(c => c.Domain).MustBeConfiguredDomain(options.Value);
    }
}
