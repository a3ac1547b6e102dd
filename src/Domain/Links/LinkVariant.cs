using LinkTracking.Domain.Common;

namespace LinkTracking.Domain.Links;

/// <summary>One destination of an A/B link: its <see cref="Key"/> (what clicks and analytics carry), URL and weight.</summary>
public sealed record LinkVariant(string Key, TargetUrl Url, int Weight)
{
    public const int MaxKeyLength = 16;
    public const int MinWeight = 1;
    public const int MaxWeight = 100;

    /// <summary>A key is 1 to 16 lowercase letters or digits.</summary>
    public static bool IsWellFormedKey(string? key)
    {
        if (key is not { Length: > 0 and <= MaxKeyLength })
        {
            return false;
        }

        foreach (var c in key)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9')))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// The 2 to 5 destinations of an A/B link (keys unique, weights 1–100). Which one a visitor gets is decided by
/// <see cref="VariantAssignment"/>, the same way every time for the same visitor (ADR 0025).
/// </summary>
public sealed class LinkVariants
{
    public const int MinCount = 2;
    public const int MaxCount = 5;
    public const string Field = "variants";

    private LinkVariants(IReadOnlyList<LinkVariant> items) => Items = items;

    public IReadOnlyList<LinkVariant> Items { get; }

    /// <summary>Checks the rules a new set of variants must meet; a <see cref="DomainRuleException"/> names the field.</summary>
    public static LinkVariants Create(IReadOnlyList<LinkVariant> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count is < MinCount or > MaxCount)
        {
            throw new DomainRuleException(Field, $"A link has {MinCount} to {MaxCount} variants.");
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            ArgumentNullException.ThrowIfNull(item);
            ArgumentNullException.ThrowIfNull(item.Url);
            if (!LinkVariant.IsWellFormedKey(item.Key))
            {
                throw new DomainRuleException(Field, "A variant key is 1 to 16 lowercase letters or digits.");
            }

            if (!keys.Add(item.Key))
            {
                throw new DomainRuleException(Field, $"The variant key '{item.Key}' is used twice.");
            }

            if (item.Weight is < LinkVariant.MinWeight or > LinkVariant.MaxWeight)
            {
                throw new DomainRuleException(Field, $"A variant weight is between {LinkVariant.MinWeight} and {LinkVariant.MaxWeight}.");
            }
        }

        return new LinkVariants([.. items]);
    }

    /// <summary>Variants read back from the database: never re-judged by rules tightened later.</summary>
    public static LinkVariants Rehydrate(IReadOnlyList<LinkVariant> items) => new([.. items]);

    /// <summary>Both null, or the same variants in the same order.</summary>
    public static bool SameAs(LinkVariants? left, LinkVariants? right) =>
        left is null || right is null ? left is null && right is null : left.Items.SequenceEqual(right.Items);

    /// <summary>The history's form: <c>a=50 https://…; b=50 https://…</c>, cut to the history's limit.</summary>
    public string Describe()
    {
        var text = string.Join("; ", Items.Select(v => $"{v.Key}={v.Weight.ToString(System.Globalization.CultureInfo.InvariantCulture)} {v.Url.Value}"));
        return text.Length <= LinkChange.MaxValueLength ? text : text[..LinkChange.MaxValueLength];
    }
}
