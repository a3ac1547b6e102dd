namespace LinkTracking.Domain.Clicks;

/// <summary>
/// Keeps scanner and bot noise apart from human clicks. Nothing is dropped: a click judged to be a bot is
/// stored with <c>is_bot</c> and a reason, and analytics leave it out unless asked.
/// </summary>
public static class BotClassifier
{
    public const string HeadRequest = "head_request";
    public const string UserAgentPattern = "user_agent";

    // Substrings of user agents sent by crawlers, link unfurlers and mail security scanners. Case-insensitive.
    private static readonly string[] BotTokens =
    [
        "bot", "crawler", "spider", "slurp", "facebookexternalhit", "embedly", "preview", "scanner",
        "curl/", "wget/", "python-requests", "python-urllib", "go-http-client", "java/", "okhttp",
        "headlesschrome", "phantomjs", "barracuda", "mimecast", "proofpoint", "safelinks",
    ];

    /// <summary>Returns the reason a click is not human, or null for a click that looks human.</summary>
    public static string? Classify(bool isHeadRequest, string? userAgent)
    {
        if (isHeadRequest)
        {
            return HeadRequest;
        }

        if (string.IsNullOrEmpty(userAgent))
        {
            return null;
        }

        foreach (var token in BotTokens)
        {
            if (userAgent.Contains(token, StringComparison.OrdinalIgnoreCase))
            {
                return UserAgentPattern;
            }
        }

        return null;
    }
}
