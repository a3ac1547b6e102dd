using System.Text.Json;
using System.Text.Json.Serialization;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>
/// Refuses a JSON string containing U+0000 (<c>"\u0000"</c>) as a malformed value of its field (400 naming it).
/// PostgreSQL cannot store NUL in text, so such a value would otherwise fail at the database: a 500 for links and
/// keys, and an acknowledged click that is never stored.
/// </summary>
public sealed class NulFreeStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        return value is not null && value.Contains('\0', StringComparison.Ordinal)
            ? throw new JsonException("The value contains a NUL character.")
            : value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}
