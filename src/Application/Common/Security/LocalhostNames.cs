namespace LinkTracking.Application.Common.Security;

/// <summary>
/// Names that mean this machine whatever DNS says: <c>localhost</c> and every name under it (RFC 6761 §6.3), with or
/// without the trailing dot of a fully qualified name (<c>localhost.</c>, <c>app.localhost.</c>).
/// </summary>
public static class LocalhostNames
{
    public static bool Matches(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return false;
        }

        var name = host.EndsWith('.') ? host[..^1] : host;
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
    }
}
