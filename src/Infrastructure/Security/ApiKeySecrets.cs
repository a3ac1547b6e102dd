using System.Security.Cryptography;
using System.Text;

namespace LinkTracking.Infrastructure.Security;

/// <summary>
/// API key secrets: <c>ltk_</c> + 40 characters of [A-Za-z0-9] from a cryptographic source (about 238 bits).
/// The prefix makes a leaked key easy to spot (secret scanners, logs). Only the SHA-256 of a secret is stored:
/// with this much entropy a fast hash is as safe as a slow one, and it keeps every request cheap.
/// </summary>
public static class ApiKeySecrets
{
    public const string Prefix = "ltk_";
    public const int RandomLength = 40;
    public const int MaxSecretLength = 256;
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string Generate() => Prefix + RandomNumberGenerator.GetString(Alphabet, RandomLength);

    public static string Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }

    /// <summary>The part shown in lists: the prefix and the first 4 random characters.</summary>
    public static string DisplayPrefix(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return secret[..Math.Min(secret.Length, Prefix.Length + 4)];
    }

    /// <summary>Compares two hashes in time independent of where they differ.</summary>
    public static bool HashesEqual(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}
