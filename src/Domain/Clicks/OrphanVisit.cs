namespace LinkTracking.Domain.Clicks;

/// <summary>
/// A request for <c>/track/…</c> whose tracking id is unknown or malformed: kept (capped) to see scans and broken
/// links. Only the masked client address is stored.
/// </summary>
public sealed class OrphanVisit
{
    public const int MaxPathLength = 200;
    public const int MaxIpPartialLength = 45;

    private OrphanVisit()
    {
        Path = null!;
    }

    public Guid Id { get; private set; }

    public DateTime VisitedAt { get; private set; }

    /// <summary>The request path, cut to <see cref="MaxPathLength"/> characters (no query string).</summary>
    public string Path { get; private set; }

    /// <summary>The client address with its host part masked (<c>203.0.113.*</c>).</summary>
    public string? IpPartial { get; private set; }

    public string? UserAgent { get; private set; }

    public string? Referrer { get; private set; }

    public BotCategory BotCategory { get; private set; }

    /// <summary>Creates a visit; over-long texts are cut (never between the halves of a surrogate pair).</summary>
    public static OrphanVisit Create(DateTime visitedAt, string path, string? ipPartial, string? userAgent, string? referrer, BotCategory botCategory)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new OrphanVisit
        {
            Id = Guid.CreateVersion7(visitedAt),
            VisitedAt = visitedAt,
            Path = Cut(path, MaxPathLength)!,
            IpPartial = Cut(ipPartial, MaxIpPartialLength),
            UserAgent = Cut(userAgent, LinkClick.MaxUserAgentLength),
            Referrer = Cut(referrer, LinkClick.MaxReferrerLength),
            BotCategory = botCategory,
        };
    }

    private static string? Cut(string? value, int max)
    {
        if (value is null || value.Length <= max)
        {
            return value;
        }

        return char.IsHighSurrogate(value[max - 1]) ? value[..(max - 1)] : value[..max];
    }
}
