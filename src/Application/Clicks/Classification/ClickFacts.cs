using System.Net;

namespace LinkTracking.Application.Clicks.Classification;

/// <summary>
/// What is known about a click when it arrives, for the classifier: the request itself (from our redirect, or what a
/// partner reports), and when the email carrying the link went out. Not all of it is stored.
/// </summary>
/// <param name="Method">The HTTP method (<c>GET</c>, <c>HEAD</c>, <c>OPTIONS</c>); partners' clicks are <c>GET</c>.</param>
/// <param name="IpAddress">The client address, before any Do-Not-Track stripping.</param>
/// <param name="UserAgent">The client's agent, before any Do-Not-Track stripping.</param>
/// <param name="Headers">The request headers that tell a browser from a script; null when unseen (a partner that did not send them): header rules do not fire then.</param>
/// <param name="ClickedAt">When the click happened (UTC).</param>
/// <param name="SentAt">When the email carrying the link went out (the link's <c>sent_at</c>), if known.</param>
public sealed record ClickFacts(
    string Method,
    IPAddress? IpAddress,
    string? UserAgent,
    ClientHeaders? Headers,
    DateTime ClickedAt,
    DateTime? SentAt);

/// <summary>
/// The request headers the classifier reads, by value (null when absent). Gathered once per redirect by the request
/// reader, or from a partner's <c>headers</c> object.
/// </summary>
public sealed record ClientHeaders(
    string? Accept,
    string? AcceptLanguage,
    string? AcceptEncoding,
    string? SecFetchSite,
    string? SecFetchMode,
    string? SecFetchDest,
    string? SecFetchUser,
    string? SecChUa,
    string? Purpose,
    string? From)
{
    /// <summary>The header names read, lower case; anything else a partner sends is ignored.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "accept", "accept-language", "accept-encoding", "sec-fetch-site", "sec-fetch-mode", "sec-fetch-dest",
        "sec-fetch-user", "sec-ch-ua", "purpose", "sec-purpose", "x-purpose", "x-moz", "from",
    ];

    /// <summary>Builds the facts from any header source (case-insensitive lookup by name; null or empty = absent).</summary>
    public static ClientHeaders Read(Func<string, string?> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return new ClientHeaders(
            Value(header, "accept"),
            Value(header, "accept-language"),
            Value(header, "accept-encoding"),
            Value(header, "sec-fetch-site"),
            Value(header, "sec-fetch-mode"),
            Value(header, "sec-fetch-dest"),
            Value(header, "sec-fetch-user"),
            Value(header, "sec-ch-ua"),
            Value(header, "sec-purpose") ?? Value(header, "purpose") ?? Value(header, "x-purpose") ?? Value(header, "x-moz"),
            Value(header, "from"));
    }

    private static string? Value(Func<string, string?> header, string name) => header(name) is { Length: > 0 } value ? value : null;
}
