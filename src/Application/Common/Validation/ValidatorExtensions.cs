using FluentValidation;
using LinkTracking.Application.Common.Security;
using LinkTracking.Domain.Links;

namespace LinkTracking.Application.Common.Validation;

/// <summary>Rules shared by several validators, each with a message a caller can act on.</summary>
public static class ValidatorExtensions
{
    public static IRuleBuilderOptions<T, string?> MustBeTrackingId<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(value => value is not null && TrackingId.IsWellFormed(value))
            .WithMessage("A tracking id is 'lt_' followed by 8 to 32 characters of [a-z0-9].");

    public static IRuleBuilderOptions<T, string?> MustBeTimeZone<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(value => Analytics.Common.AnalyticsTimeZones.TryFind(value, out _))
            .WithMessage("tz is an IANA time zone name such as 'Europe/Berlin' or 'America/New_York' (default UTC).");

    public static IRuleBuilderOptions<T, string?> MustBeAllowedTargetUrl<T>(this IRuleBuilder<T, string?> rule, UrlPolicy policy) =>
        rule.Must((_, value, context) =>
            {
                var error = policy.Check(value);
                context.MessageFormatter.AppendArgument("Reason", error);
                return error is null;
            })
            .WithMessage("{Reason}");

    public static IRuleBuilderOptions<T, string?> MustBeLinkFunction<T>(this IRuleBuilder<T, string?> rule, IReadOnlyCollection<string> allowed) =>
        rule.NotEmpty()
            .Must(LinkFunction.IsWellFormed).WithMessage("A link function is 1 to 50 letters, digits, '_' or '-'.")
            .Must(f => allowed.Count == 0 || allowed.Contains(f!, StringComparer.Ordinal))
            .WithMessage($"This link function is not in LinkTracking:AllowedFunctions ({string.Join(", ", allowed)}).");

    /// <summary><c>domain</c>: unset (the default domain) or one of <c>LinkTracking:Domains</c>.</summary>
    public static IRuleBuilderOptions<T, string?> MustBeConfiguredDomain<T>(this IRuleBuilder<T, string?> rule, Options.LinkTrackingOptions options) =>
        rule.Must(d => d is null || options.FindDomain(d.Trim()) is not null)
            .WithMessage(options.Domains.Count == 0
                ? "No branded domains are configured (LinkTracking:Domains); leave domain out."
                : $"domain is one of the configured branded domains ({string.Join(", ", options.Domains.Select(d => d.NormalisedHost))}).");

    /// <summary><c>sent_at</c>: when the email went out; not more than 5 minutes in the future, not before 1970.</summary>
    public static IRuleBuilderOptions<T, DateTimeOffset?> MustBeSentAt<T>(this IRuleBuilder<T, DateTimeOffset?> rule, TimeProvider timeProvider) =>
        rule.Must(t => t is null || t.Value <= timeProvider.GetUtcNow() + TrackedLink.MaxSentAtSkew)
            .WithMessage("sent_at must not be more than 5 minutes in the future.")
            .Must(t => t is null || t.Value >= DateTimeOffset.UnixEpoch)
            .WithMessage("sent_at must not be before 1970-01-01T00:00:00Z.");

    /// <summary><c>expires_at</c>: in the future (a link that should stop now is deactivated), before 9999.</summary>
    public static IRuleBuilderOptions<T, DateTimeOffset?> MustBeFutureExpiry<T>(this IRuleBuilder<T, DateTimeOffset?> rule, TimeProvider timeProvider) =>
        rule.Must(t => t is null || t.Value > timeProvider.GetUtcNow())
            .WithMessage("expires_at must be in the future (deactivate a link to stop it now).")
            .Must(t => t is null || t.Value.Year < 9999)
            .WithMessage("expires_at must be before the year 9999.");

    /// <summary><c>max_human_clicks</c>: 1 to <see cref="TrackedLink.MaxHumanClicksLimit"/>.</summary>
    public static IRuleBuilderOptions<T, int?> MustBeMaxHumanClicks<T>(this IRuleBuilder<T, int?> rule) =>
        rule.InclusiveBetween(1, TrackedLink.MaxHumanClicksLimit)
            .WithMessage($"max_human_clicks must be between 1 and {TrackedLink.MaxHumanClicksLimit}.");

    public static IRuleBuilderOptions<T, string?> MustBeLinkType<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(t => t is null || LinkType.IsKnown(t))
            .WithMessage($"A link type is one of: {string.Join(", ", LinkType.All)}.");
}
