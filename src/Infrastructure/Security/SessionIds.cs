using System.Security.Cryptography;
using LinkTracking.Application.Common.Interfaces;

namespace LinkTracking.Infrastructure.Security;

/// <summary>
/// 128 random bits from the CSPRNG, drawn from a per-thread buffer refilled 64 ids at a time: one call into the
/// crypto library per 64 new visitors instead of one per redirect (measured, bench/RESULTS.md).
/// </summary>
public sealed class SessionIds : ISessionIds
{
    private const int IdBytes = 16;

    [ThreadStatic]
    private static byte[]? t_buffer;

    [ThreadStatic]
    private static int t_offset;

    public string New()
    {
        var buffer = t_buffer ??= new byte[IdBytes * 64];
        if (t_offset == 0)
        {
            RandomNumberGenerator.Fill(buffer);
        }

        var id = Convert.ToHexStringLower(buffer.AsSpan(t_offset, IdBytes));
        // Used bytes are wiped, so no id can be recovered from the buffer later.
        buffer.AsSpan(t_offset, IdBytes).Clear();
        t_offset = (t_offset + IdBytes) % buffer.Length;
        return id;
    }
}
