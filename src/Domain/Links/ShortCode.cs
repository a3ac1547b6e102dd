using System.Security.Cryptography;

namespace LinkTracking.Domain.Links;

/// <summary>
/// The code of a link on a branded domain (<c>https://{domain}{short_path}/{code}</c>): 7 characters from the tracking
/// ids' alphabet, from a cryptographic random source (about 36 bits), unique per domain.
/// </summary>
public static class ShortCode
{
    public const int Length = 7;

    public static string New() => RandomNumberGenerator.GetString(TrackingId.Alphabet, Length);

    public static bool IsWellFormed(ReadOnlySpan<char> value)
    {
        if (value.Length != Length)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
