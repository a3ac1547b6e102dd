using System.Net;
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
    /// <summary>The versioned API root.</summary>
    protected const string Api = "/api/v1/link-tracking";

    protected TestProvider Provider { get; } = provider;

    protected LinkTrackingApiFactory Factory { get; private set; } = null!;

    protected HttpClient Admin { get; private set; } = null!;

    /// <summary>A client without an API key: a browser following links, a load balancer probing health.</summary>
    protected HttpClient Anonymous { get; private set; } = null!;

    /// <summary>The fake business time every test starts from.</summary>
    protected static DateTimeOffset Now => LinkTrackingApiFactory.Now;

    /// <summary>Extra configuration for this fixture's service.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>Replaces services of this fixture's host (after the service's own registrations).</summary>
    protected virtual void ConfigureServices(Microsoft.Extensions.DependencyInjection.IServiceCollection services)
    {
    }

    [OneTimeSetUp]
    public async Task StartService()
    {
        var database = await TestDatabase.CreateAsync(Provider, migrate: false);
        Factory = new LinkTrackingApiFactory(database, Settings, ConfigureServices);
        Admin = Factory.AdminClient();
        Anonymous = Factory.ClientWithKey(null);
    }

    [OneTimeTearDown]
    public async Task StopService()
    {
        Anonymous.Dispose();
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

    /// <summary>Creates a link through the API and returns its tracking id.</summary>
    protected async Task<string> CreateLinkIdAsync(
        string originalUrl = "https://example.com/landing",
        string linkFunction = "Portfolio",
        Guid? jobId = null,
        Guid? applicationId = null)
    {
        var link = await Factory.CreateLinkAsync(new { original_url = originalUrl, link_function = linkFunction, job_id = jobId, application_id = applicationId });
        return link.GetProperty("tracking_id").GetString()!;
    }

    /// <summary>Deactivates or activates a link through the API.</summary>
    protected async Task SetActiveAsync(string trackingId, bool active)
    {
        using var response = await Admin.PostAsync($"{Api}/links/{trackingId}/{(active ? "activate" : "deactivate")}", null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    /// <summary>A partner click <paramref name="ago"/> before the fake now.</summary>
    protected static object Click(
        string trackingId,
        TimeSpan ago,
        string? sessionId = null,
        string? ipAddress = null,
        string? referrerUrl = null,
        string? userAgent = null) =>
        new
        {
            tracking_id = trackingId,
            clicked_at = Now - ago,
            session_id = sessionId,
            ip_address = ipAddress,
            referrer_url = referrerUrl,
            user_agent = userAgent,
        };

    /// <summary>Records clicks through <c>record-clicks</c> and checks that every one was accepted.</summary>
    protected async Task SeedClicksAsync(params object[] clicks)
    {
        using var response = await PostJsonAsync(Admin, $"{Api}/record-clicks", new { clicks });
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        var results = JsonDocument.Parse(text).RootElement.GetProperty("results");
        Assert.That(results.EnumerateArray().Select(r => r.GetProperty("status").GetInt32()), Is.All.EqualTo(201), text);
    }

    /// <summary>GETs with the admin key, checks 200 and returns the body.</summary>
    protected async Task<JsonElement> GetJsonAsync(string url)
    {
        using var response = await Admin.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The <c>click_statistics</c> of a link's analytics.</summary>
    protected async Task<JsonElement> GetStatisticsAsync(string trackingId, string query = "") =>
        (await GetJsonAsync($"{Api}/analytics/{trackingId}{query}")).GetProperty("click_statistics");

    /// <summary>Checks an RFC 9457 problem document of the given status and returns it.</summary>
    protected static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), text);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.That(Names(problem), Is.SupersetOf(new[] { "type", "title", "status", "traceId" }), text);
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo((int)status), text);
            Assert.That(problem.GetProperty("type").GetString(), Is.Not.Empty, text);
            Assert.That(problem.GetProperty("title").GetString(), Is.Not.Empty, text);
            Assert.That(problem.GetProperty("traceId").GetString(), Is.Not.Empty, text);
        });
        return problem;
    }

    /// <summary>Checks a 400 validation problem whose <c>errors</c> name <paramref name="field"/>.</summary>
    protected static async Task<JsonElement> AssertValidationErrorAsync(HttpResponseMessage response, string field)
    {
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.That(problem.TryGetProperty("errors", out var errors), Is.True, problem.ToString());
        Assert.That(errors.EnumerateObject().Select(p => p.Name), Does.Contain(field), problem.ToString());
        Assert.That(errors.GetProperty(field).EnumerateArray().Select(m => m.GetString()), Is.Not.Empty.And.All.Not.Empty, problem.ToString());
        return problem;
    }

    /// <summary>Property names of a JSON object.</summary>
    protected static IEnumerable<string> Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name);

    /// <summary>The fake now minus <paramref name="ago"/>, in the wire format.</summary>
    protected static string Iso(TimeSpan ago) => (Now - ago).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
