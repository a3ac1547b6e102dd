using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.ApiKeys;
using LinkTracking.Infrastructure.Security;
using LinkTracking.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace LinkTracking.WebApi.FunctionalTests.Infrastructure;

/// <summary>
/// The real service over HTTP (TestServer) on a real database. Business time is a <see cref="FakeTimeProvider"/>
/// fixed at <see cref="Now"/> so period arithmetic is deterministic; the header <c>X-Test-Remote-Ip</c> sets the
/// connection's client address (TestServer has none).
/// </summary>
public sealed class LinkTrackingApiFactory(
    TestDatabase database,
    IReadOnlyDictionary<string, string?>? settings = null,
    Action<IServiceCollection>? configureServices = null)
    : WebApplicationFactory<Program>
{
    public const string AdminKey = "ltk_TestAdminKey000000000000000000000000000";
    public const string RemoteIpHeader = "X-Test-Remote-Ip";
    public static readonly DateTimeOffset Now = new(2025, 7, 27, 15, 0, 0, TimeSpan.Zero);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    private readonly string _spoolDirectory = Directory.CreateTempSubdirectory("linktracking-spool-").FullName;

    public FakeTimeProvider Time { get; } = new(Now);

    public TestDatabase Database => database;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", database.ProviderSetting);
        builder.UseSetting("ConnectionStrings:LinkTracking", database.ConnectionString);
        builder.UseSetting("Auth:BootstrapApiKey", AdminKey);
        builder.UseSetting("ClickPipeline:SpoolDirectory", _spoolDirectory);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");

        // Most tests send many requests from one address and one key: rate limits are off unless a fixture sets them
        // (a null value leaves a key unset, so the service's own default applies).
        var effective = new Dictionary<string, string?>
        {
            ["RateLimits:ClicksPerMinutePerIp"] = "0",
            ["RateLimits:AnalyticsPerMinutePerKey"] = "0",
            ["RateLimits:SignInsPerMinutePerIp"] = "0",
            // Disposing a factory stops its host: without this every test would wait out the 5 s drain.
            ["Lifecycle:DrainDelay"] = "00:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            effective[key] = value;
        }

        foreach (var (key, value) in effective.Where(s => s.Value is not null))
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Time);
            services.AddSingleton<IStartupFilter, RemoteIpStartupFilter>();
            configureServices?.Invoke(services);
        });
    }

    /// <summary>The headers a desktop Chrome sends when a person follows a link (a request may override any of them).</summary>
    public static readonly IReadOnlyDictionary<string, string> BrowserHeaders = PersonBrowser.Headers;

    /// <summary>
    /// A client that sends the given API key (none when null). Without a key it is a person's browser: it sends a
    /// browser's headers, so its redirects count as human clicks unless a test says otherwise.
    /// </summary>
    public HttpClient ClientWithKey(string? apiKey)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        if (apiKey is null)
        {
            foreach (var (name, value) in BrowserHeaders)
            {
                client.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
            }
        }

        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        }

        return client;
    }

    public HttpClient AdminClient() => ClientWithKey(AdminKey);

    /// <summary>Creates a key with exactly these scopes and returns its secret.</summary>
    public async Task<string> CreateApiKeyAsync(params string[] scopes)
    {
        var secret = ApiKeySecrets.Generate();
        await using var scope = Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IApiKeyStore>();
        store.Add(ApiKey.Create("test-" + string.Join('-', scopes), scopes, ApiKeySecrets.Hash(secret), ApiKeySecrets.DisplayPrefix(secret), Now.UtcDateTime));
        await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None);
        return secret;
    }

    /// <summary>
    /// Waits until every click acknowledged so far is in the database (it may still be on its way from the local journal),
    /// for tests that read the tables directly; the API's own queries do this themselves.
    /// </summary>
    public async Task FlushClicksAsync() => await Services.GetRequiredService<IClickRecorder>().FlushAsync(CancellationToken.None);

    /// <summary>Creates a link through the API and returns its body.</summary>
    public async Task<JsonElement> CreateLinkAsync(object body)
    {
        using var client = AdminClient();
        using var response = await client.PostAsJsonAsync("/api/v1/link-tracking/create", body, Json);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Creating a link failed: {(int)response.StatusCode} {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(_spoolDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class RemoteIpStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = context.Request.Headers.TryGetValue(RemoteIpHeader, out var ip) && IPAddress.TryParse(ip, out var address)
                    ? address
                    : IPAddress.Loopback;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
