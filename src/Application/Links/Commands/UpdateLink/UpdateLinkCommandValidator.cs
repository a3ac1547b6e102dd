using FluentValidation;
using LinkTracking.Application.Common.Security;
using LinkTracking.Application.Common.Validation;
using LinkTracking.Application.Links.Common;
using LinkTracking.Domain.Links;

namespace LinkTracking.Application.Links.Commands.UpdateLink;

public sealed class UpdateLinkCommandValidator : AbstractValidator<UpdateLinkCommand>
{
    public UpdateLinkCommandValidator(UrlPolicy urlPolicy, TimeProvider timeProvider)
    {
        RuleFor(c => c.TrackingId).MustBeTrackingId();
        RuleFor(c => c.Patch).NotNull().Must(p => !p.IsEmpty)
            .WithMessage("Send at least one of original_url, description, expires_at, max_human_clicks, fallback_url, variants.")
            .OverridePropertyName("body");
        When(c => c.Patch is not null, () =>
        {
            RuleFor(c => c.Patch.OriginalUrl.Value).NotEmpty().MustBeAllowedTargetUrl(urlPolicy)
                .When(c => c.Patch.OriginalUrl.IsSet).OverridePropertyName("original_url");
            RuleFor(c => c.Patch.Description.Value).MaximumLength(TrackedLink.MaxDescriptionLength)
                .When(c => c.Patch.Description.IsSet).OverridePropertyName("description");
            RuleFor(c => c.Patch.ExpiresAt.Value).MustBeFutureExpiry(timeProvider)
                .When(c => c.Patch.ExpiresAt.IsSet).OverridePropertyName("expires_at");
            RuleFor(c => c.Patch.MaxHumanClicks.Value).MustBeMaxHumanClicks()
                .When(c => c.Patch.MaxHumanClicks.IsSet).OverridePropertyName("max_human_clicks");
            RuleFor(c => c.Patch.FallbackUrl.Value).MustBeAllowedTargetUrl(urlPolicy)
                .When(c => c.Patch.FallbackUrl is { IsSet: true, Value: not null }).OverridePropertyName("fallback_url");
        });
        this.AddVariantRules(c => c.Patch.Variants.Value, urlPolicy, c => c.Patch is { Variants.IsSet: true });
    }
}
