using FluentValidation;
using LinkTracking.Application.Common.Security;
using LinkTracking.Application.Common.Validation;
using LinkTracking.Domain.Links;

namespace LinkTracking.Application.Links.Common;

/// <summary>One A/B destination as a caller sends it (<c>variants: [{key, url, weight}]</c>).</summary>
/// <param name="Key">1 to 16 lowercase letters or digits, unique within the link; what clicks and analytics carry.</param>
/// <param name="Url">The destination, under the same rules as <c>original_url</c>.</param>
/// <param name="Weight">1 to 100: the variant's share of visitors is its weight over the sum of the weights.</param>
public sealed record VariantRequest(string? Key, string? Url, int? Weight)
{
    /// <summary>The domain's variants of a validated request.</summary>
    public static LinkVariants ToVariants(IReadOnlyList<VariantRequest> requests) =>
        LinkVariants.Create([.. requests.Select(r => new LinkVariant(r.Key!, TargetUrl.Create(r.Url!), r.Weight!.Value))]);
}

/// <summary>The rules of <c>variants</c>, on create and on PATCH: errors name <c>variants</c> or <c>variants[i].key|url|weight</c>.</summary>
public static class VariantRules
{
    public static void AddVariantRules<T>(this AbstractValidator<T> validator, System.Linq.Expressions.Expression<Func<T, IReadOnlyList<VariantRequest>?>> variants, UrlPolicy urlPolicy, Func<T, bool>? when = null)
    {
        ArgumentNullException.ThrowIfNull(validator);
        when ??= static _ => true;
        var compiled = variants.Compile();
        validator.RuleFor(variants)
            .Must(v => v!.Count is >= LinkVariants.MinCount and <= LinkVariants.MaxCount)
            .WithMessage($"variants has {LinkVariants.MinCount} to {LinkVariants.MaxCount} entries.")
            .Must(v => v!.Where(i => i?.Key is not null).Select(i => i.Key).Distinct(StringComparer.Ordinal).Count() == v!.Count(i => i?.Key is not null))
            .WithMessage("Variant keys are unique within a link.")
            .When(c => when(c) && compiled(c) is not null)
            .OverridePropertyName(LinkVariants.Field);
        var items = System.Linq.Expressions.Expression.Lambda<Func<T, IEnumerable<VariantRequest>>>(
            System.Linq.Expressions.Expression.Convert(variants.Body, typeof(IEnumerable<VariantRequest>)), variants.Parameters);
        validator.RuleForEach(items)
            .NotNull().WithMessage("A variant is an object {key, url, weight}.")
            .SetValidator(new VariantRequestValidator(urlPolicy))
            .When(c => when(c) && compiled(c) is not null)
            .OverridePropertyName(LinkVariants.Field);
    }
}

public sealed class VariantRequestValidator : AbstractValidator<VariantRequest>
{
    public VariantRequestValidator(UrlPolicy urlPolicy)
    {
        RuleFor(v => v.Key).Must(LinkVariant.IsWellFormedKey).WithMessage("A variant key is 1 to 16 lowercase letters or digits.");
        RuleFor(v => v.Url).NotEmpty().MustBeAllowedTargetUrl(urlPolicy);
        RuleFor(v => v.Weight).NotNull().InclusiveBetween(LinkVariant.MinWeight, LinkVariant.MaxWeight)
            .WithMessage($"A variant weight is between {LinkVariant.MinWeight} and {LinkVariant.MaxWeight}.");
    }
}
