using System.Net;
using System.Net.Sockets;

namespace LinkTracking.Domain.Links;

/// <summary>
/// Which variant a visitor gets: weighted rendezvous hashing (highest random weight, in its exponential-race form,
/// Schindelhauer and Schomaker 2005). Each variant draws a score from the visitor's key and its own key,
/// <c>-ln(u) / weight</c> with <c>u</c> uniform in (0, 1); the lowest score wins. Variant <c>i</c> wins for a share
/// <c>weight_i / Σ weight</c> of visitors, and a variant's score depends only on its own key and weight, so a weight
/// change moves only the visitors it must: raising a weight moves visitors only to that variant, lowering it moves
/// only that variant's visitors away, removing a variant moves only its own visitors (ADR 0025). Pure arithmetic:
/// no allocation, no database.
/// </summary>
public static class VariantAssignment
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;
    private const int SeedHexLength = 16;

    /// <summary>The visitor key of a session cookie. See <see cref="SeedSession"/> for the 32-hex-digit form.</summary>
    public static ulong ForSession(string sessionId)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        if (sessionId.Length == 2 * SeedHexLength
            && ulong.TryParse(sessionId.AsSpan(SeedHexLength), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var seed))
        {
            return seed;
        }

        var hash = FnvOffset;
        foreach (var c in sessionId)
        {
            hash = (hash ^ c) * FnvPrime;
        }

        return Mix(hash);
    }

    /// <summary>
    /// The visitor key of a request without a session: the address masked to its /24 (IPv4) or /48 (IPv6) — the
    /// part the service keeps after anonymising it — and the user agent. A scanner's re-fetch from its network, or a
    /// person's second click without cookies, gets the same key.
    /// </summary>
    public static ulong ForAddress(IPAddress? address, string? userAgent)
    {
        var hash = FnvOffset;
        if (address is not null)
        {
            Span<byte> bytes = stackalloc byte[16];
            if (address.IsIPv4MappedToIPv6)
            {
                address = address.MapToIPv4();
            }

            if (address.TryWriteBytes(bytes, out var written))
            {
                var keep = address.AddressFamily == AddressFamily.InterNetwork ? 3 : 6;
                foreach (var b in bytes[..Math.Min(keep, written)])
                {
                    hash = (hash ^ b) * FnvPrime;
                }
            }
        }

        hash = (hash ^ 0xff) * FnvPrime;
        foreach (var c in userAgent ?? string.Empty)
        {
            hash = (hash ^ c) * FnvPrime;
        }

        return Mix(hash);
    }

    /// <summary>
    /// A new visitor's session id that carries the key its first click was assigned by: the first 16 hex digits of
    /// the random id, then the key's 16. Its second click, now with the cookie, lands on the same variant
    /// (<see cref="ForSession"/> reads the key back), and keeps it when the visitor changes networks. The key holds
    /// nothing the service does not keep anyway (the masked address and the agent).
    /// </summary>
    public static string SeedSession(string randomSessionId, ulong visitorKey)
    {
        ArgumentNullException.ThrowIfNull(randomSessionId);
        if (randomSessionId.Length < SeedHexLength)
        {
            throw new ArgumentException("A session id has at least 16 characters.", nameof(randomSessionId));
        }

        return string.Create(2 * SeedHexLength, (randomSessionId, visitorKey), static (span, state) =>
        {
            state.randomSessionId.AsSpan(0, SeedHexLength).CopyTo(span);
            state.visitorKey.TryFormat(span[SeedHexLength..], out _, "x16", System.Globalization.CultureInfo.InvariantCulture);
        });
    }

    /// <summary>The index of the variant the visitor gets; -1 for none.</summary>
    public static int Choose<T>(ulong visitorKey, IReadOnlyList<T> variants, Func<T, string> keyOf, Func<T, int> weightOf)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(keyOf);
        ArgumentNullException.ThrowIfNull(weightOf);
        var best = -1;
        var bestScore = double.PositiveInfinity;
        for (var i = 0; i < variants.Count; i++)
        {
            var weight = weightOf(variants[i]);
            if (weight <= 0)
            {
                continue;
            }

            var score = Score(visitorKey, keyOf(variants[i]), weight);
            if (best < 0 || score < bestScore)
            {
                best = i;
                bestScore = score;
            }
        }

        return best;
    }

    /// <summary>The variant of <paramref name="variants"/> the visitor gets.</summary>
    public static LinkVariant Choose(ulong visitorKey, LinkVariants variants)
    {
        ArgumentNullException.ThrowIfNull(variants);
        return variants.Items[Choose(visitorKey, variants.Items, static v => v.Key, static v => v.Weight)];
    }

    /// <summary><c>-ln(u) / weight</c>, with <c>u</c> in (0, 1) drawn from the visitor's and the variant's keys.</summary>
    private static double Score(ulong visitorKey, string variantKey, int weight)
    {
        var hash = FnvOffset;
        foreach (var c in variantKey)
        {
            hash = (hash ^ c) * FnvPrime;
        }

        var draw = Mix(visitorKey ^ Mix(hash));
        var uniform = ((draw >> 11) + 0.5) * (1.0 / (1UL << 53));
        return -Math.Log(uniform) / weight;
    }

    /// <summary>The SplitMix64 finaliser: every input bit reaches every output bit.</summary>
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
        return z ^ (z >> 31);
    }
}
