using System.Diagnostics;
using System.Net;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using OpenTelemetry.Trace;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// Traces carry what an operator needs (the route, the tracking id) and nothing a trace store must not hold (API keys,
/// client addresses); an OTLP endpoint that does not answer, or is no URL, does not stop the service.
/// </summary>
public sealed class TracingTests(TestProvider provider) : ApiFixture(provider)
{
    private const string ClientIp = "198.51.100.23";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        // Nothing listens there: the exporter's failures must stay its own.
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9",
    };

    [Test]
    public async Task Redirect_IsTracedWithItsRouteAndTrackingId_AndNoSpanHoldsTheKeyOrTheClientAddress()
    {
        var exported = new List<Activity>();
        using var traced = Factory.WithWebHostBuilder(b => b
            .UseSetting("ClickPipeline:SpoolDirectory", OwnSpool())
            .ConfigureTestServices(s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(exported))));
        using var admin = traced.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        admin.DefaultRequestHeaders.Add("X-API-Key", LinkTrackingApiFactory.AdminKey);
        var trackingId = await CreateLinkIdAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/track/{trackingId}");
        request.Headers.Add(LinkTrackingApiFactory.RemoteIpHeader, ClientIp);
        using var redirect = await admin.SendAsync(request);
        using var analytics = await admin.GetAsync($"{Api}/analytics/{trackingId}");
        await Task.Delay(200); // spans end as their responses complete
        // A copy (List.ToArray takes no enumerator): background work (the mover, the rollup worker) keeps ending spans
        // on other threads, and enumerating the exporter's list itself failed once with "Collection was modified".
        var spans = exported.ToArray();

        Assert.That(redirect.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(analytics.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var redirectSpan = spans.SingleOrDefault(s => Equals(s.GetTagItem("http.route"), "track/{trackingId}"));
        Assert.That(redirectSpan, Is.Not.Null, string.Join(", ", spans.Select(s => s.DisplayName)));
        Assert.That(redirectSpan!.GetTagItem("linktracking.tracking_id"), Is.EqualTo(trackingId));
        var values = spans.SelectMany(s => s.TagObjects).Select(t => $"{t.Key}={t.Value}").ToList();
        Assert.That(values, Has.None.Contains(LinkTrackingApiFactory.AdminKey).And.None.Contains(ClientIp), string.Join("\n", values));
    }

    [Test]
    public async Task Service_WithAnOtlpEndpointThatIsNoUrl_StillStartsAndRedirects()
    {
        using var misconfigured = Factory.WithWebHostBuilder(b => b
            .UseSetting("ClickPipeline:SpoolDirectory", OwnSpool())
            .UseSetting("OTEL_EXPORTER_OTLP_ENDPOINT", "not a url"));
        using var client = misconfigured.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var trackingId = await CreateLinkIdAsync();

        using var response = await client.GetAsync($"/track/{trackingId}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
    }

    /// <summary>A second host in the process gets a spool of its own (one spool belongs to one node).</summary>
    private static string OwnSpool() => Directory.CreateTempSubdirectory("linktracking-spool-").FullName;

    [Test]
    public async Task Service_WithAnOtlpEndpointNobodyListensOn_Redirects()
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await Anonymous.GetAsync($"/track/{trackingId}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
    }
}
