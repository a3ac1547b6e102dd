using System.Net.Http.Json;
using System.Text.Json;
using LinkTracking.Tests.Shared;

namespace LinkTracking.WebApi.FunctionalTests.Infrastructure;

/// <summary>
/// Base of the functional fixtures: each runs once per database provider, on its own fresh database, with
/// links and clicks cleared before every test.
/// </summary>
[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.Postgres)]
public abstract class ApiFixture(TestProvider provider)
{
    protected TestProvider Provider { get; } = provider;

    protected LinkTrackingApiFactory Factory { get; private set; } = null!;

    protected HttpClient Admin { get; private set; } = null!;

    /// <summary>Extra configuration for this fixture's service.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    [OneTimeSetUp]
    public async Task StartService()
    {
        var database = await TestDatabase.CreateAsync(Provider, migrate: false);
        Factory = new LinkTrackingApiFactory(database, Settings);
        Admin = Factory.AdminClient();
    }

    [OneTimeTearDown]
    public async Task StopService()
    {
        Admin.Dispose();
        await Factory.DisposeAsync();
        await Factory.Database.DisposeAsync();
    }

    [SetUp]
    public Task ClearData() => Factory.Database.ResetAsync();

    protected static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    protected static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, LinkTrackingApiFactory.Json);
}
