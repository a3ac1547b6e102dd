// The consumer's side of the NuGet package: scripts/check-client-packages.sh copies this file into a fresh
// `dotnet new console` project that restores LinkTracking.Client from a local folder feed, and runs it against a live
// service (LINKTRACKING_URL, LINKTRACKING_API_KEY). Exit code 0 and "ok" when create link → record click → analytics
// work through the package.
using LinkTracking.Client;
using LinkTracking.Client.Generated.Models;

var baseUrl = new Uri(Environment.GetEnvironmentVariable("LINKTRACKING_URL") ?? throw new InvalidOperationException("LINKTRACKING_URL is not set"));
var apiKey = Environment.GetEnvironmentVariable("LINKTRACKING_API_KEY") ?? throw new InvalidOperationException("LINKTRACKING_API_KEY is not set");

using var http = LinkTrackingClient.CreateHttpClient(baseUrl);
using var client = new LinkTrackingClient(http, apiKey);
var api = client.Generated.Api.V1.LinkTracking;

var link = await api.Create.PostAsync(new CreateTrackedLinkCommand { OriginalUrl = "https://example.com/from-the-nuget-package", LinkFunction = "Portfolio" })
    ?? throw new InvalidOperationException("create answered without a body");
await api.RecordClick.PostAsync(new RecordClickCommand
{
    TrackingId = link.TrackingId,
    ClickedAt = DateTimeOffset.UtcNow.AddMinutes(-1),
    IpAddress = "203.0.113.7",
    ReferrerUrl = "https://www.linkedin.com/feed/",
    SessionId = "package-session",
    UserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
});

// Stored clicks reach the analytics within moments; wait at most 20 s.
int? total = null;
for (var attempt = 0; attempt < 40 && total is not >= 1; attempt++)
{
    if (attempt > 0)
    {
        await Task.Delay(500);
    }

    var analytics = await api.Analytics[link.TrackingId!].GetAsync(c => c.QueryParameters.IncludeBots = true);
    total = analytics?.ClickStatistics?.TotalClicks;
}

if (total is not 1)
{
    Console.Error.WriteLine($"analytics of {link.TrackingId}: {total?.ToString() ?? "nothing"} clicks, expected 1");
    return 1;
}

var version = typeof(LinkTrackingClient).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
    .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion;
Console.WriteLine($"ok: LinkTracking.Client {version} created {link.TrackingId}, recorded a click, read 1 click from its analytics");
return 0;
