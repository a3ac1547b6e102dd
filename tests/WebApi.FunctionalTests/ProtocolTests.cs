using System.IO.Pipelines;
using System.Net;
using System.Text;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>Versioning, body limits, malformed JSON and the shape of problem documents.</summary>
public sealed class ProtocolTests(TestProvider provider) : ApiFixture(provider)
{
    private const int BodyLimit = 64 * 1024;

    [Test]
    public async Task UnversionedRoute_CreatesAndReadsLinksLikeVersion1()
    {
        using var created = await PostJsonAsync(Admin, "/api/link-tracking/create", new { original_url = "https://example.com/a", link_function = "Portfolio" });
        var trackingId = (await ReadJsonAsync(created)).GetProperty("tracking_id").GetString();

        var viaUnversioned = await GetJsonAsync($"/api/link-tracking/links/{trackingId}");
        var viaVersioned = await GetJsonAsync($"{Api}/links/{trackingId}");

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(viaUnversioned.ToString(), Is.EqualTo(viaVersioned.ToString()));
    }

    [TestCase("GET", "/api/link-tracking/report")]
    [TestCase("GET", "/api/link-tracking/links")]
    [TestCase("GET", "/api/link-tracking/analytics/{id}")]
    [TestCase("POST", "/api/link-tracking/links/{id}/deactivate")]
    public async Task UnversionedRoute_Answers(string method, string path)
    {
        var trackingId = await CreateLinkIdAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", trackingId, StringComparison.Ordinal));

        using var response = await Admin.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task UnversionedRecordClick_RecordsTheClick()
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await PostJsonAsync(Admin, "/api/link-tracking/record-click", new { tracking_id = trackingId });
        var stats = await GetStatisticsAsync(trackingId);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.EqualTo(1));
    }

    [TestCase("/api/v9/link-tracking/report")]
    [TestCase("/api/v2/link-tracking/links")]
    [TestCase("/api/vX/link-tracking/report")]
    public async Task UnsupportedVersionInPath_ReturnsBadRequestProblem(string path)
    {
        using var response = await Admin.GetAsync(path);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.That(SupportedVersions(response), Does.Contain("1.0"));
    }

    [Test]
    public async Task UnsupportedVersionInPath_DoesNotRunTheAction()
    {
        using var response = await PostJsonAsync(Admin, "/api/v9/link-tracking/create", new { original_url = "https://example.com/a", link_function = "Portfolio" });
        var page = await GetJsonAsync($"{Api}/links");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(page.GetProperty("total").GetInt32(), Is.Zero);
    }

    [TestCase("/api/link-tracking/report?api-version=9.0")]
    [TestCase("/api/link-tracking/links?api-version=2.0")]
    public async Task UnsupportedVersionInQuery_ReturnsBadRequestProblem(string path)
    {
        using var response = await Admin.GetAsync(path);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task SupportedVersionInQuery_Answers()
    {
        using var response = await Admin.GetAsync("/api/link-tracking/report?api-version=1.0");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [TestCase("/api/v1/link-tracking/report")]
    [TestCase("/api/link-tracking/report")]
    public async Task ApiResponse_CarriesSupportedVersions(string path)
    {
        using var response = await Admin.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(SupportedVersions(response), Does.Contain("1.0"));
    }

    [Test]
    public async Task Create_WhenBodyIsLargerThan64KiB_ReturnsPayloadTooLarge()
    {
        var body = new { original_url = "https://example.com/a", link_function = "Portfolio", description = new string('d', BodyLimit + 1) };

        using var response = await PostJsonAsync(Admin, $"{Api}/create", body);
        var page = await GetJsonAsync($"{Api}/links");

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.That(page.GetProperty("total").GetInt32(), Is.Zero);
    }

    [Test]
    public async Task RecordClicks_WhenChunkedBodyGrowsPast1MiB_ReturnsPayloadTooLarge()
    {
        // record-clicks takes up to 1 MiB (a thousand clicks with real agents); a chunked body past that is refused
        // while it streams, before anything is recorded.
        var trackingId = await CreateLinkIdAsync();
        var item = $$"""{ "tracking_id": "{{trackingId}}" }""";
        var json = "{ \"clicks\": [" + string.Join(',', Enumerable.Repeat(item, (LinkTracking.WebApi.Infrastructure.RequestLimits.MaxBatchBodyBytes / item.Length) + 100)) + "] }";
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(json));
        await pipe.Writer.CompleteAsync();
        using var content = new StreamContent(pipe.Reader.AsStream());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await Admin.PostAsync($"{Api}/record-clicks", content);
        var stats = await GetStatisticsAsync(trackingId);

        Assert.That(content.Headers.ContentLength, Is.Null, "the body should be sent without a length");
        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.Zero);
    }

    [TestCase("create")]
    [TestCase("record-click")]
    [TestCase("record-clicks")]
    public async Task Post_WithMalformedJson_ReturnsBadRequestProblem(string route)
    {
        using var content = new StringContent("""{ "original_url": "https://example.com/a", """, Encoding.UTF8, "application/json");

        using var response = await Admin.PostAsync($"{Api}/{route}", content);

        var problem = await AssertValidationErrorAsync(response, "body");
        Assert.That(Names(problem.GetProperty("errors")), Is.EqualTo(new[] { "body" }));
        Assert.That(problem.ToString(), Does.Not.Contain("System.Text.Json").And.Not.Contain("field is required"));
    }

    [Test]
    public async Task Create_WithEmptyBody_ReturnsBadRequestProblem()
    {
        using var content = new StringContent(string.Empty, Encoding.UTF8, "application/json");

        using var response = await Admin.PostAsync($"{Api}/create", content);

        var problem = await AssertValidationErrorAsync(response, "body");
        Assert.That(problem.ToString(), Does.Not.Contain("command"));
    }

    [Test]
    public async Task Create_WithFieldOfWrongType_NamesTheField()
    {
        using var content = new StringContent("""{ "original_url": 42, "link_function": "Portfolio" }""", Encoding.UTF8, "application/json");

        using var response = await Admin.PostAsync($"{Api}/create", content);

        var problem = await AssertValidationErrorAsync(response, "original_url");
        Assert.That(Names(problem.GetProperty("errors")), Is.EqualTo(new[] { "original_url" }));
    }

    [Test]
    public async Task ValidationProblem_HasTheFullProblemShape()
    {
        using var response = await PostJsonAsync(Admin, $"{Api}/create", new { original_url = "ftp://example.com/", link_function = "Portfolio" });

        var problem = await AssertValidationErrorAsync(response, "original_url");
        Assert.That(problem.GetProperty("detail").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task NotFoundProblem_HasTheFullProblemShape()
    {
        using var response = await Admin.GetAsync($"{Api}/links/lt_doesnotexist1");

        var problem = await AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.That(problem.GetProperty("detail").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task ConflictProblem_HasTheFullProblemShape()
    {
        var trackingId = await CreateLinkIdAsync();
        await SetActiveAsync(trackingId, active: false);

        using var response = await PostJsonAsync(Admin, $"{Api}/record-click", new { tracking_id = trackingId });

        var problem = await AssertProblemAsync(response, HttpStatusCode.Conflict);
        Assert.That(problem.GetProperty("detail").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task UnauthorizedProblem_HasTheFullProblemShape()
    {
        using var response = await Anonymous.GetAsync($"{Api}/report");

        var problem = await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.That(problem.GetProperty("detail").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task PayloadTooLargeProblem_HasTheFullProblemShape()
    {
        using var content = new StringContent(new string(' ', BodyLimit + 1), Encoding.UTF8, "application/json");

        using var response = await Admin.PostAsync($"{Api}/record-click", content);

        var problem = await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.That(problem.GetProperty("detail").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task Link_UsesSnakeCaseFieldsAndUtcTimestamps()
    {
        using var response = await PostJsonAsync(Admin, $"{Api}/create", new { original_url = "https://example.com/a", link_function = "Portfolio" });

        var link = await ReadJsonAsync(response);
        Assert.That(Names(link), Has.All.Match("^[a-z_]+$"));
        Assert.That(link.GetProperty("created_at").GetString(), Does.EndWith("Z"));
    }

    private static string SupportedVersions(HttpResponseMessage response) =>
        response.Headers.TryGetValues("api-supported-versions", out var values) ? string.Join(",", values) : string.Empty;
}
