using System.Net;
using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Application.Common.Options;
using LinkTracking.Infrastructure.Classification;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.UnitTests.Classification;

/// <summary>Builders for the classifier's tests: real agents, real header shapes, addresses from the shipped ASN table.</summary>
internal static class Clicks
{
    public const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    public const string Firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
    public const string IphoneSafari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1";

    /// <summary>Comcast (AS7922): a home connection.</summary>
    public static readonly IPAddress HomeIsp = IPAddress.Parse("73.15.20.30");

    /// <summary>T-Mobile USA (AS21928): a mobile carrier.</summary>
    public static readonly IPAddress MobileCarrier = IPAddress.Parse("172.56.20.10");

    /// <summary>Microsoft (AS8075), where Defender Safe Links fetches from.</summary>
    public static readonly IPAddress Microsoft = IPAddress.Parse("40.94.25.10");

    /// <summary>Proofpoint (AS22843).</summary>
    public static readonly IPAddress Proofpoint = IPAddress.Parse("66.159.228.10");

    /// <summary>Zscaler Switzerland (AS62044).</summary>
    public static readonly IPAddress Zscaler = IPAddress.Parse("165.225.20.10");

    /// <summary>Akamai's iCloud Private Relay egress (AS36183).</summary>
    public static readonly IPAddress PrivateRelay = IPAddress.Parse("172.224.7.10");

    /// <summary>AWS (AS14618).</summary>
    public static readonly IPAddress Aws = IPAddress.Parse("3.80.0.10");

    public static readonly DateTime SentAt = new(2026, 11, 30, 9, 0, 0, DateTimeKind.Utc);

    /// <summary>What Chrome sends on a top-level navigation from a mail client.</summary>
    public static ClientHeaders ChromeHeaders() => new(
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
        "en-GB,en-US;q=0.9,en;q=0.8",
        "gzip, deflate, br, zstd",
        "cross-site",
        "navigate",
        "document",
        "?1",
        "\"Google Chrome\";v=\"131\", \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"",
        null,
        null);

    /// <summary>A person in Chrome at home, an hour after the email went out.</summary>
    public static ClickFacts Person(string userAgent = Chrome, IPAddress? address = null, ClientHeaders? headers = null) =>
        new("GET", address ?? HomeIsp, userAgent, headers ?? ChromeHeaders(), SentAt.AddHours(1), SentAt);

    public static ClickClassifier Classifier(Action<ClickClassificationOptions>? configure = null)
    {
        var options = new ClickClassificationOptions();
        configure?.Invoke(options);
        var wrapped = Options.Create(options);
        return new ClickClassifier(new NetworkLookup(wrapped), new AgentMatcher(wrapped), wrapped);
    }

    public static NetworkLookup Lookup(Action<ClickClassificationOptions>? configure = null)
    {
        var options = new ClickClassificationOptions();
        configure?.Invoke(options);
        return new NetworkLookup(Options.Create(options));
    }
}
