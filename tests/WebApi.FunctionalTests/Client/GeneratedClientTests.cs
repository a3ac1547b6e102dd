using System.Net;
using LinkTracking.Client;
using LinkTracking.Client.Generated.Models;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests.Client;

/// <summary>The live test service driven through the committed Kiota client and its wrapper, as the orchestrator would.</summary>
public sealed class GeneratedClientTests(TestProvider provider) : ApiFixture(provider)
{
    private HttpClient _http = null!;
    private LinkTrackingClient _client = null!;

    [SetUp]
    public void CreateClient()
    {
        _http = LinkTrackingClient.CreateHttpClient(new Uri("http://localhost"), Factory.Server.CreateHandler());
        _client = new LinkTrackingClient(_http, LinkTrackingApiFactory.AdminKey);
    }

    [TearDown]
    public void DisposeClient()
    {
        _client.Dispose();
        _http.Dispose();
    }

    [Test]
    public async Task CreateLink_RecordClick_Analytics_ThroughTheGeneratedClient()
    {
        var api = _client.Generated.Api.V1.LinkTracking;

        var link = await api.Create.PostAsync(new CreateTrackedLinkCommand { OriginalUrl = "https://example.com/portfolio", LinkFunction = "Portfolio" });
        var receipt = await api.RecordClick.PostAsync(new RecordClickCommand
        {
            TrackingId = link!.TrackingId,
            ClickedAt = Now.AddHours(-1),
            IpAddress = "203.0.113.7",
            ReferrerUrl = "https://www.linkedin.com/feed/",
            SessionId = "s-1",
            UserAgent = LinkTrackingApiFactory.BrowserHeaders["User-Agent"],
        });
        var analytics = await api.Analytics[link.TrackingId!].GetAsync();

        Assert.That(link.TrackingId, Does.Match("^lt_[a-z0-9]{12}$"));
        Assert.That(link.RedirectUrl, Does.EndWith("/track/" + link.TrackingId));
        Assert.That(receipt!.TrackingId, Is.EqualTo(link.TrackingId));
        Assert.That(receipt.ClickSource, Is.EqualTo("linkedin"));
        Assert.That(analytics!.LinkInfo!.TrackingId, Is.EqualTo(link.TrackingId));
        Assert.That(analytics.ClickStatistics!.TotalClicks, Is.EqualTo(1));
        Assert.That(analytics.ClickStatistics.UniqueSessions, Is.EqualTo(1));
    }

    [Test]
    public async Task ApplicationPackage_ThenSummary_ThroughTheWrapper()
    {
        var applicationId = Guid.NewGuid();
        var request = new ApplicationLinkPackageRequest
        {
            JobData = new JobData { ApplyUrl = "https://jobs.example.com/apply/1", JobUrl = "https://jobs.example.com/postings/1" },
            ExtraLinks = [new ExtraLink { LinkFunction = "Resume", OriginalUrl = "https://files.example.com/resume.pdf", LinkType = "document" }],
        };

        var package = await _client.CreateApplicationLinksAsync(applicationId, request);
        var again = await _client.CreateApplicationLinksAsync(applicationId, request);
        var applyUrl = (string)package.Links!.AdditionalData["Apply_Now"];
        await SeedClicksAsync(Click(applyUrl[(applyUrl.LastIndexOf('/') + 1)..], TimeSpan.FromMinutes(30), sessionId: "s-9"));
        var summary = await _client.GetApplicationSummaryAsync(applicationId);

        Assert.That(package.Links.AdditionalData.Keys, Is.SupersetOf(new[] { "Apply_Now", "Job_Posting", "Resume" }));
        Assert.That(again.Links!.AdditionalData, Is.EquivalentTo(package.Links.AdditionalData));
        Assert.That(summary.ApplicationId, Is.EqualTo(applicationId));
        Assert.That(summary.TotalLinks, Is.EqualTo(package.Links.AdditionalData.Count));
        Assert.That(summary.TotalClicks, Is.EqualTo(1));
    }

    [Test]
    public void UnknownLink_SurfacesAsATypedProblem()
    {
        var problem = Assert.ThrowsAsync<ProblemDetails>(() => _client.Generated.Api.V1.LinkTracking.Links["lt_doesnotexist"].GetAsync());

        Assert.That(problem!.ResponseStatusCode, Is.EqualTo((int)HttpStatusCode.NotFound));
        Assert.That(problem.Status, Is.EqualTo(404));
        Assert.That(problem.Title, Is.Not.Empty);
        Assert.That(problem.AdditionalData, Does.ContainKey("traceId"));
    }

    [Test]
    public void InvalidLink_SurfacesAsAValidationProblem_WithTheFieldNamedAsOnTheWire()
    {
        var problem = Assert.ThrowsAsync<ValidationProblemDetails>(() =>
            _client.Generated.Api.V1.LinkTracking.Create.PostAsync(new CreateTrackedLinkCommand { OriginalUrl = "not a url", LinkFunction = "Portfolio" }));

        Assert.That(problem!.ResponseStatusCode, Is.EqualTo(400));
        Assert.That(problem.Errors!.AdditionalData, Does.ContainKey("original_url"));
    }

    [Test]
    public async Task KeyWithoutTheScope_SurfacesAsForbidden()
    {
        var key = await _client.Generated.Api.V1.LinkTracking.ApiKeys.PostAsync(new CreateApiKeyCommand { Name = "reader", Scopes = ["analytics:read"] });
        using var http = LinkTrackingClient.CreateHttpClient(new Uri("http://localhost"), Factory.Server.CreateHandler());
        using var reader = new LinkTrackingClient(http, key!.Key!);

        var problem = Assert.ThrowsAsync<ProblemDetails>(() => reader.CreateApplicationLinksAsync(Guid.NewGuid()));

        Assert.That(problem!.ResponseStatusCode, Is.EqualTo(403));
        Assert.That(problem.Title, Is.EqualTo("Forbidden"));
    }
}
