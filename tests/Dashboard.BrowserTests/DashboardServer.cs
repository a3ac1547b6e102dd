using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LinkTracking.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracking.Dashboard.BrowserTests;

/// <summary>
/// The real service on a real Kestrel port (a browser needs a URL), on a fresh SQLite database, with a seeded data
/// set created through the API: one job with two applications and three links, human, scanner and crawler clicks
/// over the last 40 days.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    public const string AdminKey = "ltk_BrowserAdminKey00000000000000000000000";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static readonly Guid JobId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
    public static readonly Guid ApplicationId = Guid.Parse("7c9e6679-7425-40de-944b-e07fc1f90ae7");
    public static readonly Guid OtherApplicationId = Guid.Parse("16fd2706-8baf-433b-82eb-8c7fada847da");

    private readonly Factory _factory;
    private readonly TestDatabase _database;

    private DashboardServer(Factory factory, TestDatabase database, string baseUrl)
    {
        _factory = factory;
        _database = database;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <summary>The tracking id of the seeded LinkedIn link (the one with every kind of click).</summary>
    public string LinkedInTrackingId { get; private set; } = string.Empty;

    public static async Task<DashboardServer> StartAsync()
    {
        var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        var factory = new Factory(database);
        factory.UseKestrel(0);
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var server = new DashboardServer(factory, database, address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/'));
        await server.SeedAsync();
        return server;
    }

    /// <summary>An HTTP client of the API with this key.</summary>
    public HttpClient Api(string apiKey)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        return client;
    }

    /// <summary>Creates a key with exactly these scopes through the API and returns its id and secret.</summary>
    public async Task<(Guid Id, string Secret)> CreateKeyAsync(params string[] scopes)
    {
        using var admin = Api(AdminKey);
        using var response = await admin.PostAsJsonAsync("/api/v1/link-tracking/api-keys", new { name = "browser-" + string.Join('-', scopes), scopes }, Json);
        var body = await ReadAsync(response, HttpStatusCode.Created);
        return (body.GetProperty("id").GetGuid(), body.GetProperty("key").GetString()!);
    }

    public async Task RevokeKeyAsync(Guid id)
    {
        using var admin = Api(AdminKey);
        using var response = await admin.DeleteAsync($"/api/v1/link-tracking/api-keys/{id}");
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Revoking failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>The API's own answer to a GET, as JSON.</summary>
    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var admin = Api(AdminKey);
        using var response = await admin.GetAsync(path);
        return await ReadAsync(response, HttpStatusCode.OK);
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task SeedAsync()
    {
        LinkedInTrackingId = await CreateLinkAsync("https://www.linkedin.com/in/someone", "LinkedIn", ApplicationId);
        var gitHub = await CreateLinkAsync("https://github.com/someone", "GitHub", ApplicationId);
        var portfolio = await CreateLinkAsync("https://someone.example.org/", "Portfolio", OtherApplicationId);

        var now = DateTimeOffset.UtcNow;
        var human = PersonBrowser.Headers.ToDictionary(h => h.Key, h => (string?)h.Value);
        var scanner = new Dictionary<string, string?>();
        var crawler = new Dictionary<string, string?> { ["User-Agent"] = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" };
        object Click(string trackingId, TimeSpan ago, Dictionary<string, string?> headers, string session, string ip) => ClickBody(trackingId, now - ago, headers, session, ip);

        await RecordClicksAsync(
            Click(LinkedInTrackingId, TimeSpan.FromDays(1), human, "s1", "203.0.113.10"),
            Click(LinkedInTrackingId, TimeSpan.FromDays(3), human, "s2", "203.0.113.11"),
            Click(LinkedInTrackingId, TimeSpan.FromDays(10), human, "s3", "203.0.113.12"),
            Click(LinkedInTrackingId, TimeSpan.FromDays(1.1), scanner, "b1", "198.51.100.20"),
            Click(LinkedInTrackingId, TimeSpan.FromDays(3.1), scanner, "b2", "198.51.100.21"),
            Click(LinkedInTrackingId, TimeSpan.FromDays(2), crawler, "b3", "198.51.100.22"),
            Click(gitHub, TimeSpan.FromDays(40), human, "s4", "203.0.113.13"),
            Click(portfolio, TimeSpan.FromMinutes(1), human, "s5", "203.0.113.14"),
            Click(portfolio, TimeSpan.FromSeconds(30), human, "s5", "203.0.113.14"));

        using var admin = Api(AdminKey);
        // What became of the application (the journey and the job's funnel): a reply, then an interview.
        foreach (var (stage, ago) in new[] { ("replied", TimeSpan.FromDays(2)), ("interview", TimeSpan.FromHours(20)) })
        {
            using var outcome = await admin.PostAsJsonAsync(
                $"/api/v1/link-tracking/applications/{ApplicationId}/outcomes", new { stage, occurred_at = now - ago, note = $"seeded {stage}" }, Json);
            await ReadAsync(outcome, HttpStatusCode.Created);
        }
    }

    /// <summary>Records a person's clicks on a link through the API, one an hour apart from each address, the first an hour ago.</summary>
    public async Task RecordHumanClicksAsync(string trackingId, params string[] ips)
    {
        var human = PersonBrowser.Headers.ToDictionary(h => h.Key, h => (string?)h.Value);
        var now = DateTimeOffset.UtcNow;
        await RecordClicksAsync([.. ips.Select((ip, i) => ClickBody(trackingId, now - TimeSpan.FromHours(i + 1), human, $"person-{ip}", ip))]);
    }

    private static object ClickBody(string trackingId, DateTimeOffset at, Dictionary<string, string?> headers, string session, string ip) => new
    {
        tracking_id = trackingId,
        clicked_at = at,
        ip_address = ip,
        user_agent = headers.GetValueOrDefault("User-Agent"),
        session_id = session,
        click_source = "email",
        headers,
    };

    private async Task RecordClicksAsync(params object[] clicks)
    {
        using var admin = Api(AdminKey);
        using var response = await admin.PostAsJsonAsync("/api/v1/link-tracking/record-clicks", new { clicks }, Json);
        var body = await ReadAsync(response, HttpStatusCode.OK);
        if (body.GetProperty("accepted").GetInt32() != clicks.Length)
        {
            throw new InvalidOperationException("Recording clicks failed: " + body);
        }
    }

    /// <summary>Creates a link of the seeded job through the API and returns its tracking id.</summary>
    public async Task<string> CreateLinkAsync(string url, string function, Guid applicationId)
    {
        using var admin = Api(AdminKey);
        using var response = await admin.PostAsJsonAsync(
            "/api/v1/link-tracking/create",
            new { original_url = url, link_function = function, job_id = JobId, application_id = applicationId },
            Json);
        return (await ReadAsync(response, HttpStatusCode.Created)).GetProperty("tracking_id").GetString()!;
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private sealed class Factory(TestDatabase database) : WebApplicationFactory<Program>
    {
        private readonly string _spool = Directory.CreateTempSubdirectory("linktracking-browser-spool-").FullName;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("Database:Provider", database.ProviderSetting);
            builder.UseSetting("ConnectionStrings:LinkTracking", database.ConnectionString);
            builder.UseSetting("Auth:BootstrapApiKey", AdminKey);
            builder.UseSetting("ClickPipeline:SpoolDirectory", _spool);
            builder.UseSetting("RateLimits:ClicksPerMinutePerIp", "0");
            builder.UseSetting("RateLimits:AnalyticsPerMinutePerKey", "0");
            builder.UseSetting("RateLimits:SignInsPerMinutePerIp", "0");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            try
            {
                Directory.Delete(_spool, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
