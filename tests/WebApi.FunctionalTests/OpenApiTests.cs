using System.Net;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

public sealed class OpenApiTests(TestProvider provider) : ApiFixture(provider)
{
    [Test]
    public async Task OpenApiDocument_IsServedWithoutAKey()
    {
        using var response = await Anonymous.GetAsync("/openapi/v1.json");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await ReadJsonAsync(response)).GetProperty("info").GetProperty("title").GetString(), Is.Not.Empty);
    }

    [TestCase("/api/v1/link-tracking/create")]
    [TestCase("/api/v1/link-tracking/links/{trackingId}")]
    [TestCase("/api/v1/link-tracking/links")]
    [TestCase("/api/v1/link-tracking/links/{trackingId}/deactivate")]
    [TestCase("/api/v1/link-tracking/links/{trackingId}/activate")]
    [TestCase("/api/v1/link-tracking/applications/{applicationId}/links")]
    [TestCase("/api/v1/link-tracking/record-click")]
    [TestCase("/api/v1/link-tracking/record-clicks")]
    [TestCase("/api/v1/link-tracking/analytics/{trackingId}")]
    [TestCase("/api/v1/link-tracking/jobs/{jobId}/summary")]
    [TestCase("/api/v1/link-tracking/applications/{applicationId}/summary")]
    [TestCase("/api/v1/link-tracking/report")]
    [TestCase("/api/v1/link-tracking/clicks/export")]
    [TestCase("/track/{trackingId}")]
    public async Task OpenApiDocument_ListsTheRoute(string path)
    {
        using var response = await Anonymous.GetAsync("/openapi/v1.json");

        var paths = Names((await ReadJsonAsync(response)).GetProperty("paths"));
        Assert.That(paths, Does.Contain(path));
    }
}
