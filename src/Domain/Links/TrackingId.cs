using LinkTracking.Domain.Common;

using System.Security.Cryptography;

namespace LinkTracking.Domain.Links;

/// <summary>
/// The public id of a tracked link: <c>lt_</c> followed by 8–32 characters of <c>[a-z0-9]</c>.
/// New ids carry 12 characters from a cryptographic random source (about 62 bits), so they cannot be guessed.
/// </summary>
public sealed record TrackingId
{
    public const string Prefix = "lt_";
    public const int GeneratedLength = 12;
    public const int MinBodyLength = 8;
    public const int MaxBodyLength = 32;
    public const int MaxLength = 35;
    /// <summary>The characters of generated ids (and of branded short codes, <see cref="ShortCode"/>).</summary>
    public const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    private TrackingId(string value) => Value = value;

    public string Value { get; }

    public static TrackingId NewId() => new(Prefix + RandomNumberGenerator.GetString(Alphabet, GeneratedLength));

    /// <summary>Checks the shape only; says nothing about whether such a link exists.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> value)
    {
        if (value.Length < Prefix.Length + MinBodyLength || value.Length > MaxLength || !value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in value[Prefix.Length..])
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    public static TrackingId Parse(string value) =>
        IsWellFormed(value)
            ? new TrackingId(value)
            : throw new DomainRuleException("tracking_id", "A tracking id is 'lt_' followed by 8 to 32 characters of [a-z0-9].");

    public static bool TryParse(string? value, out TrackingId? trackingId)
    {
        trackingId = value is not null && IsWellFormed(value) ? new TrackingId(value) : null;
        return trackingId is not null;
    }

    public override string ToString() => Value;
}
