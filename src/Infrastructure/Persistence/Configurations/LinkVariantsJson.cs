using System.Text.Json;
using LinkTracking.Domain.Links;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace LinkTracking.Infrastructure.Persistence.Configurations;

/// <summary>
/// A link's variants in one text column, as JSON <c>[{"key":"a","url":"https://…","weight":50}]</c>: they are read
/// and written only with their link, never queried by themselves. Read back with <see cref="LinkVariants.Rehydrate"/>.
/// </summary>
public static class LinkVariantsJson
{
    /// <summary>EF Core never hands a null to a converter: a null stays a null column.</summary>
    public static readonly ValueConverter<LinkVariants?, string> Converter = new(v => Write(v!), s => Read(s));

    public static readonly ValueComparer<LinkVariants?> Comparer = new(
        (a, b) => LinkVariants.SameAs(a, b),
        v => v == null ? 0 : v.Items.Aggregate(0, (hash, item) => HashCode.Combine(hash, item)),
        v => v == null ? null : LinkVariants.Rehydrate(v.Items));

    private static string Write(LinkVariants variants) =>
        JsonSerializer.Serialize(variants.Items.Select(v => new Row(v.Key, v.Url.Value, v.Weight)).ToArray(), RowContext.Default.RowArray);

    private static LinkVariants Read(string json) =>
        LinkVariants.Rehydrate([.. (JsonSerializer.Deserialize(json, RowContext.Default.RowArray) ?? []).Select(r => new LinkVariant(r.Key, TargetUrl.Rehydrate(r.Url), r.Weight))]);

    internal sealed record Row(string Key, string Url, int Weight);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(LinkVariantsJson.Row[]))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
internal sealed partial class RowContext : System.Text.Json.Serialization.JsonSerializerContext;
