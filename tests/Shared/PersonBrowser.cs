namespace LinkTracking.Tests.Shared;

/// <summary>What a person's browser sends.</summary>
public static class PersonBrowser
{
    /// <summary>The headers a desktop Chrome sends when a person follows a link (a request may override any of them).</summary>
    public static readonly IReadOnlyDictionary<string, string> Headers = new Dictionary<string, string>
    {
        ["User-Agent"] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
        ["Accept"] = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
        ["Accept-Language"] = "en-GB,en;q=0.9",
        ["Accept-Encoding"] = "gzip, deflate, br",
        ["Sec-Fetch-Site"] = "cross-site",
        ["Sec-Fetch-Mode"] = "navigate",
        ["Sec-Fetch-Dest"] = "document",
        ["Sec-Fetch-User"] = "?1",
        ["Sec-CH-UA"] = "\"Chromium\";v=\"126\", \"Google Chrome\";v=\"126\"",
    };
}
