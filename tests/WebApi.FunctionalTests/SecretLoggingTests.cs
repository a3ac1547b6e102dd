using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// API key secrets never reach the logs: the service runs with every category at Trace into an in-memory logger
/// while a key is created, used, listed, refused and revoked, and the bootstrap admin key does the managing.
/// </summary>
[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.Postgres)]
public sealed class SecretLoggingTests(TestProvider provider)
{
    private const string Api = "/api/v1/link-tracking";

    private readonly CapturingLoggerProvider _logs = new();
    private TestDatabase _database = null!;
    private LinkTrackingApiFactory _factory = null!;
    private WebApplicationFactory<Program> _logged = null!;

    [OneTimeSetUp]
    public async Task StartServiceLoggingEverything()
    {
        _database = await TestDatabase.CreateAsync(provider, migrate: false);
        _factory = new LinkTrackingApiFactory(_database);
        _logged = _factory.WithWebHostBuilder(b => b.ConfigureLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            logging.AddProvider(_logs);
            // A rule for this provider wins over every category rule of the configuration (Warning by default here).
            logging.AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace);
        }));
        using var warmUp = Client(null);
        using var live = await warmUp.GetAsync("/health/live");
        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [OneTimeTearDown]
    public async Task StopService()
    {
        await _logged.DisposeAsync();
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
        _logs.Dispose();
    }

    [Test]
    public async Task KeyLifecycle_WritesNeitherTheNewSecretNorTheBootstrapKeyToAnyLogEntry()
    {
        var lifecycle = await RunKeyLifecycleAsync();

        var entries = _logs.Entries.ToList();
        Assert.That(lifecycle.Statuses, Is.EqualTo(ExpectedStatuses), "the lifecycle ran as intended");
        Assert.That(entries.Where(e => e.Level <= LogLevel.Debug && e.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)), Is.Not.Empty, "Trace and Debug entries of the framework were captured");
        Assert.That(entries.Where(e => e.Category.Contains("Authentication", StringComparison.Ordinal) || e.Category.Contains("Authorization", StringComparison.Ordinal)), Is.Not.Empty, "the auth pipeline's entries were captured");
        Assert.Multiple(() =>
        {
            foreach (var entry in entries)
            {
                Assert.That(entry.Text, Does.Not.Contain(lifecycle.Secret).And.Not.Contain(RandomPart(lifecycle.Secret)), $"[{entry.Level}] {entry.Category} logged the new key's secret");
                Assert.That(entry.Text, Does.Not.Contain(LinkTrackingApiFactory.AdminKey).And.Not.Contain(RandomPart(LinkTrackingApiFactory.AdminKey)), $"[{entry.Level}] {entry.Category} logged the bootstrap admin key");
            }
        });
    }

    [Test]
    public async Task KeyList_ShowsNeitherTheNewSecretNorTheBootstrapKey()
    {
        var lifecycle = await RunKeyLifecycleAsync();

        var names = JsonDocument.Parse(lifecycle.ListText).RootElement.EnumerateArray().Select(k => k.GetProperty("name").GetString()).ToList();
        Assert.That(names, Does.Contain(lifecycle.Name).And.Contain("bootstrap"), "the list shows both keys");
        Assert.That(lifecycle.ListText, Does.Not.Contain(lifecycle.Secret).And.Not.Contain(RandomPart(lifecycle.Secret)));
        Assert.That(lifecycle.ListText, Does.Not.Contain(LinkTrackingApiFactory.AdminKey).And.Not.Contain(RandomPart(LinkTrackingApiFactory.AdminKey)));
    }

    private static readonly HttpStatusCode[] ExpectedStatuses =
    [
        HttpStatusCode.Created,      // the admin creates a key
        HttpStatusCode.OK,           // the key reads a report
        HttpStatusCode.Forbidden,    // the key tries a route beyond its scope
        HttpStatusCode.OK,           // the admin lists the keys
        HttpStatusCode.NoContent,    // the admin revokes the key
        HttpStatusCode.Unauthorized, // the revoked key is refused
    ];

    /// <summary>Creates, uses, lists and revokes a key with the bootstrap admin key; captured logs are cleared first.</summary>
    private async Task<Lifecycle> RunKeyLifecycleAsync()
    {
        _logs.Clear();
        using var admin = Client(LinkTrackingApiFactory.AdminKey);
        var name = "logged-" + Guid.NewGuid().ToString("N")[..8];
        var statuses = new List<HttpStatusCode>();

        using var created = await admin.PostAsJsonAsync($"{Api}/api-keys", new { name, scopes = new[] { "analytics:read" } }, LinkTrackingApiFactory.Json);
        statuses.Add(created.StatusCode);
        var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        var secret = body.GetProperty("key").GetString()!;
        using var partner = Client(secret);
        using (var report = await partner.GetAsync($"{Api}/report"))
        {
            statuses.Add(report.StatusCode);
        }

        using (var beyondScope = await partner.PostAsync($"{Api}/create", new StringContent("{}", Encoding.UTF8, "application/json")))
        {
            statuses.Add(beyondScope.StatusCode);
        }

        using var list = await admin.GetAsync($"{Api}/api-keys");
        statuses.Add(list.StatusCode);
        var listText = await list.Content.ReadAsStringAsync();
        using (var revoked = await admin.DeleteAsync($"{Api}/api-keys/{body.GetProperty("id").GetString()}"))
        {
            statuses.Add(revoked.StatusCode);
        }

        using (var refused = await partner.GetAsync($"{Api}/report"))
        {
            statuses.Add(refused.StatusCode);
        }

        return new Lifecycle(name, secret, listText, statuses);
    }

    private HttpClient Client(string? apiKey)
    {
        var client = _logged.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        }

        return client;
    }

    /// <summary>The secret without its public <c>ltk_</c> prefix: logging only this part leaks the key all the same.</summary>
    private static string RandomPart(string secret) => secret[LinkTracking.Infrastructure.Security.ApiKeySecrets.Prefix.Length..];

    private sealed record Lifecycle(string Name, string Secret, string ListText, IReadOnlyList<HttpStatusCode> Statuses);

    private sealed record LogEntry(LogLevel Level, string Category, string Text);

    /// <summary>
    /// Keeps every entry in memory: the formatted message, each structured value, the exception with its inner
    /// exceptions, and the active scopes.
    /// </summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private readonly ConcurrentQueue<LogEntry> _entries = new();
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public IEnumerable<LogEntry> Entries => _entries;

        public void Clear() => _entries.Clear();

        public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class CapturingLogger(CapturingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var text = new StringBuilder(formatter(state, exception));
                if (state is IEnumerable<KeyValuePair<string, object?>> values)
                {
                    foreach (var (key, value) in values)
                    {
                        text.Append(" | ").Append(key).Append('=').Append(value);
                    }
                }

                text.Append(" | ").Append(exception);
                owner._scopes.ForEachScope((scope, builder) => builder.Append(" | scope ").Append(scope), text);
                owner._entries.Enqueue(new LogEntry(logLevel, category, text.ToString()));
            }
        }
    }
}
