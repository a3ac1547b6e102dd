using System.Net;
using System.Text.Json;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>GET links/{id} and the paged list. Some tests advance the fixture's fake clock, so none here assumes a fixed now.</summary>
public sealed class LinkQueryTests(TestProvider provider) : ApiFixture(provider)
{
    [Test]
    public async Task GetLink_WhenLinkExists_ReturnsWhatARedirectorNeeds()
    {
        var jobId = Guid.NewGuid();
        var applicationId = Guid.NewGuid();
        var createdAt = Factory.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var trackingId = await CreateLinkIdAsync("https://example.com/jobs/42", "Job_Posting", jobId, applicationId);

        var link = await GetJsonAsync($"{Api}/links/{trackingId}");

        Assert.Multiple(() =>
        {
            Assert.That(link.GetProperty("tracking_id").GetString(), Is.EqualTo(trackingId));
            Assert.That(link.GetProperty("original_url").GetString(), Is.EqualTo("https://example.com/jobs/42"));
            Assert.That(link.GetProperty("is_active").GetBoolean(), Is.True);
            Assert.That(link.GetProperty("link_function").GetString(), Is.EqualTo("Job_Posting"));
            Assert.That(link.GetProperty("link_type").GetString(), Is.EqualTo("external"));
            Assert.That(link.GetProperty("job_id").GetGuid(), Is.EqualTo(jobId));
            Assert.That(link.GetProperty("application_id").GetGuid(), Is.EqualTo(applicationId));
            Assert.That(link.GetProperty("redirect_url").GetString(), Is.EqualTo($"http://localhost/track/{trackingId}"));
            Assert.That(link.GetProperty("created_at").GetString(), Is.EqualTo(createdAt));
        });
    }

    [Test]
    public async Task GetLink_WhenLinkIsInactive_ReturnsItAsInactive()
    {
        var trackingId = await CreateLinkIdAsync();
        await SetActiveAsync(trackingId, active: false);

        var link = await GetJsonAsync($"{Api}/links/{trackingId}");

        Assert.That(link.GetProperty("is_active").GetBoolean(), Is.False);
    }

    [Test]
    public async Task GetLink_WhenLinkIsUnknown_ReturnsNotFound()
    {
        using var response = await Admin.GetAsync($"{Api}/links/lt_doesnotexist1");

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [TestCase("not-a-tracking-id")]
    [TestCase("lt_UPPERCASE12")]
    [TestCase("lt_short")]
    public async Task GetLink_WhenTrackingIdIsMalformed_ReturnsValidationError(string trackingId)
    {
        using var response = await Admin.GetAsync($"{Api}/links/{trackingId}");

        await AssertValidationErrorAsync(response, "tracking_id");
    }

    [Test]
    public async Task ListLinks_WithoutFilters_ReturnsAllLinksNewestFirst()
    {
        var oldest = await CreateLinkIdAsync();
        Factory.Time.Advance(TimeSpan.FromMinutes(1));
        var middle = await CreateLinkIdAsync();
        Factory.Time.Advance(TimeSpan.FromMinutes(1));
        var newest = await CreateLinkIdAsync();

        var page = await GetJsonAsync($"{Api}/links");

        Assert.Multiple(() =>
        {
            Assert.That(TrackingIds(page), Is.EqualTo(new[] { newest, middle, oldest }));
            Assert.That(page.GetProperty("total").GetInt32(), Is.EqualTo(3));
            Assert.That(page.GetProperty("page").GetInt32(), Is.EqualTo(1));
            Assert.That(page.GetProperty("page_size").GetInt32(), Is.EqualTo(50));
        });
    }

    [Test]
    public async Task ListLinks_WithPageAndPageSize_ReturnsThatSliceAndTheTotal()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await CreateLinkIdAsync());
            Factory.Time.Advance(TimeSpan.FromMinutes(1));
        }

        var second = await GetJsonAsync($"{Api}/links?page=2&page_size=2");
        var third = await GetJsonAsync($"{Api}/links?page=3&page_size=2");
        var beyond = await GetJsonAsync($"{Api}/links?page=4&page_size=2");

        Assert.Multiple(() =>
        {
            Assert.That(TrackingIds(second), Is.EqualTo(new[] { ids[2], ids[1] }));
            Assert.That(second.GetProperty("page").GetInt32(), Is.EqualTo(2));
            Assert.That(second.GetProperty("page_size").GetInt32(), Is.EqualTo(2));
            Assert.That(second.GetProperty("total").GetInt32(), Is.EqualTo(5));
            Assert.That(TrackingIds(third), Is.EqualTo(new[] { ids[0] }));
            Assert.That(TrackingIds(beyond), Is.Empty);
            Assert.That(beyond.GetProperty("total").GetInt32(), Is.EqualTo(5));
        });
    }

    [Test]
    public async Task ListLinks_FilteredByJobId_ReturnsOnlyThatJobsLinks()
    {
        var jobId = Guid.NewGuid();
        var mine = await CreateLinkIdAsync(jobId: jobId);
        await CreateLinkIdAsync(jobId: Guid.NewGuid());
        await CreateLinkIdAsync();

        var page = await GetJsonAsync($"{Api}/links?job_id={jobId}");

        Assert.That(TrackingIds(page), Is.EqualTo(new[] { mine }));
        Assert.That(page.GetProperty("total").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task ListLinks_FilteredByApplicationId_ReturnsOnlyThatApplicationsLinks()
    {
        var applicationId = Guid.NewGuid();
        var first = await CreateLinkIdAsync(linkFunction: "LinkedIn", applicationId: applicationId);
        var second = await CreateLinkIdAsync(linkFunction: "Calendly", applicationId: applicationId);
        await CreateLinkIdAsync(applicationId: Guid.NewGuid());

        var page = await GetJsonAsync($"{Api}/links?application_id={applicationId}");

        Assert.That(TrackingIds(page), Is.EquivalentTo(new[] { first, second }));
    }

    [Test]
    public async Task ListLinks_FilteredByLinkFunction_ReturnsOnlyThatFunction()
    {
        var linkedIn = await CreateLinkIdAsync(linkFunction: "LinkedIn");
        await CreateLinkIdAsync(linkFunction: "Calendly");

        var page = await GetJsonAsync($"{Api}/links?link_function=LinkedIn");

        Assert.That(TrackingIds(page), Is.EqualTo(new[] { linkedIn }));
    }

    [Test]
    public async Task ListLinks_FilteredByIsActive_ReturnsOnlyLinksInThatState()
    {
        var active = await CreateLinkIdAsync();
        var inactive = await CreateLinkIdAsync();
        await SetActiveAsync(inactive, active: false);

        var inactivePage = await GetJsonAsync($"{Api}/links?is_active=false");
        var activePage = await GetJsonAsync($"{Api}/links?is_active=true");

        Assert.That(TrackingIds(inactivePage), Is.EqualTo(new[] { inactive }));
        Assert.That(TrackingIds(activePage), Is.EqualTo(new[] { active }));
    }

    [Test]
    public async Task ListLinks_WithCombinedFilters_AppliesAllOfThem()
    {
        var jobId = Guid.NewGuid();
        var wanted = await CreateLinkIdAsync(linkFunction: "LinkedIn", jobId: jobId);
        await CreateLinkIdAsync(linkFunction: "Calendly", jobId: jobId);
        await CreateLinkIdAsync(linkFunction: "LinkedIn", jobId: Guid.NewGuid());

        var page = await GetJsonAsync($"{Api}/links?job_id={jobId}&link_function=LinkedIn&is_active=true");

        Assert.That(TrackingIds(page), Is.EqualTo(new[] { wanted }));
    }

    [Test]
    public async Task ListLinks_WithPageSize200_IsAccepted()
    {
        await CreateLinkIdAsync();

        var page = await GetJsonAsync($"{Api}/links?page_size=200");

        Assert.That(page.GetProperty("page_size").GetInt32(), Is.EqualTo(200));
    }

    [Test]
    public async Task ListLinks_WhenPageSizeIs201_ReturnsValidationError()
    {
        using var response = await Admin.GetAsync($"{Api}/links?page_size=201");

        await AssertValidationErrorAsync(response, "page_size");
    }

    [TestCase("page=0", "page")]
    [TestCase("page_size=0", "page_size")]
    [TestCase("job_id=not-a-uuid", "job_id")]
    [TestCase("application_id=42", "application_id")]
    [TestCase("is_active=maybe", "is_active")]
    [TestCase("link_function=bad%20function", "link_function")]
    public async Task ListLinks_WhenAQueryParameterIsInvalid_ReturnsValidationErrorNamingIt(string query, string field)
    {
        using var response = await Admin.GetAsync($"{Api}/links?{query}");

        await AssertValidationErrorAsync(response, field);
    }

    private static string[] TrackingIds(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("tracking_id").GetString()!).ToArray();
}
