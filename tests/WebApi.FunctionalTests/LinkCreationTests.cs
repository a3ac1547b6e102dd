using System.Net;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

public sealed class LinkCreationTests(TestProvider provider) : ApiFixture(provider)
{
    private const string PublicBase = "https://go.example.org";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["LinkTracking:PublicBaseUrl"] = PublicBase + "/",
    };

    [Test]
    public async Task Create_WithRequiredFieldsOnly_ReturnsCreatedLinkWithDefaults()
    {
        var body = new { original_url = "https://www.linkedin.com/in/someone", link_function = "LinkedIn" };

        using var response = await PostJsonAsync(Admin, $"{Api}/create", body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var link = await ReadJsonAsync(response);
        var trackingId = link.GetProperty("tracking_id").GetString();
        Assert.Multiple(() =>
        {
            Assert.That(trackingId, Does.Match("^lt_[a-z0-9]{12}$"));
            Assert.That(link.GetProperty("redirect_url").GetString(), Is.EqualTo($"{PublicBase}/track/{trackingId}"));
            Assert.That(link.GetProperty("original_url").GetString(), Is.EqualTo("https://www.linkedin.com/in/someone"));
            Assert.That(link.GetProperty("link_function").GetString(), Is.EqualTo("LinkedIn"));
            Assert.That(link.GetProperty("link_type").GetString(), Is.EqualTo("external"));
            Assert.That(link.GetProperty("job_id").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
            Assert.That(link.GetProperty("application_id").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
            Assert.That(link.GetProperty("created_by").GetString(), Is.EqualTo("system"));
            Assert.That(link.GetProperty("created_at").GetString(), Is.EqualTo("2025-07-27T15:00:00Z"));
            Assert.That(link.GetProperty("is_active").GetBoolean(), Is.True);
            Assert.That(response.Headers.Location?.ToString(), Does.EndWith($"/api/v1/link-tracking/links/{trackingId}"));
        });
    }

    [Test]
    public async Task Create_WithAllFields_EchoesThem()
    {
        var jobId = Guid.NewGuid();
        var applicationId = Guid.NewGuid();
        var body = new
        {
            original_url = "https://calendly.com/someone/30min",
            link_function = "Calendly",
            link_type = "networking",
            job_id = jobId,
            application_id = applicationId,
            description = "Book a call",
            created_by = "orchestrator",
        };

        using var response = await PostJsonAsync(Admin, $"{Api}/create", body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var link = await ReadJsonAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(link.GetProperty("link_type").GetString(), Is.EqualTo("networking"));
            Assert.That(link.GetProperty("job_id").GetGuid(), Is.EqualTo(jobId));
            Assert.That(link.GetProperty("application_id").GetGuid(), Is.EqualTo(applicationId));
            Assert.That(link.GetProperty("description").GetString(), Is.EqualTo("Book a call"));
            Assert.That(link.GetProperty("created_by").GetString(), Is.EqualTo("orchestrator"));
        });
    }

    [Test]
    public async Task Create_ThenLocation_ReturnsTheSameLink()
    {
        using var created = await PostJsonAsync(Admin, $"{Api}/create", new { original_url = "https://example.com/a", link_function = "Portfolio" });
        var trackingId = (await ReadJsonAsync(created)).GetProperty("tracking_id").GetString();

        var link = await GetJsonAsync(created.Headers.Location!.ToString());

        Assert.That(link.GetProperty("tracking_id").GetString(), Is.EqualTo(trackingId));
    }

    [Test]
    public async Task Create_TwiceWithTheSameBody_ReturnsDistinctTrackingIds()
    {
        var body = new { original_url = "https://example.com/a", link_function = "Portfolio" };

        var first = await Factory.CreateLinkAsync(body);
        var second = await Factory.CreateLinkAsync(body);

        Assert.That(second.GetProperty("tracking_id").GetString(), Is.Not.EqualTo(first.GetProperty("tracking_id").GetString()));
    }

    [TestCase("profile")]
    [TestCase("job_posting")]
    [TestCase("application")]
    [TestCase("networking")]
    [TestCase("document")]
    [TestCase("external")]
    [TestCase("internal")]
    [TestCase("contact")]
    public async Task Create_WithDocumentedLinkType_IsAccepted(string linkType)
    {
        var body = new { original_url = "https://example.com/a", link_function = "Portfolio", link_type = linkType };

        using var response = await PostJsonAsync(Admin, $"{Api}/create", body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadJsonAsync(response)).GetProperty("link_type").GetString(), Is.EqualTo(linkType));
    }

    [TestCase("Company_Website")]
    [TestCase("Twitter-Profile_2")]
    [TestCase("x")]
    public async Task Create_WithWellFormedLinkFunction_IsAccepted(string linkFunction)
    {
        var body = new { original_url = "https://example.com/a", link_function = linkFunction };

        using var response = await PostJsonAsync(Admin, $"{Api}/create", body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadJsonAsync(response)).GetProperty("link_function").GetString(), Is.EqualTo(linkFunction));
    }

    [Test]
    public async Task Create_WithUrlOfExactly1000Characters_IsAccepted()
    {
        var url = "https://example.com/" + new string('a', 1000 - "https://example.com/".Length);

        using var response = await PostJsonAsync(Admin, $"{Api}/create", new { original_url = url, link_function = "Portfolio" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadJsonAsync(response)).GetProperty("original_url").GetString(), Is.EqualTo(url));
    }

    [TestCase("javascript:alert(1)", TestName = "Create_WhenOriginalUrlIsJavascript_ReturnsValidationError")]
    [TestCase("data:text/html,<script>alert(1)</script>", TestName = "Create_WhenOriginalUrlIsDataUrl_ReturnsValidationError")]
    [TestCase("ftp://example.com/file.txt", TestName = "Create_WhenOriginalUrlIsFtp_ReturnsValidationError")]
    [TestCase("https://user:secret@example.com/", TestName = "Create_WhenOriginalUrlHasUserInfo_ReturnsValidationError")]
    [TestCase("https://203.0.113.5/login", TestName = "Create_WhenOriginalUrlHostIsIPv4_ReturnsValidationError")]
    [TestCase("https://[2001:db8::1]/login", TestName = "Create_WhenOriginalUrlHostIsIPv6_ReturnsValidationError")]
    [TestCase("https://example.com/a\r\nSet-Cookie: x=1", TestName = "Create_WhenOriginalUrlContainsCrlf_ReturnsValidationError")]
    [TestCase("/relative/path", TestName = "Create_WhenOriginalUrlIsRelative_ReturnsValidationError")]
    [TestCase("https://", TestName = "Create_WhenOriginalUrlHasNoHost_ReturnsValidationError")]
    [TestCase("", TestName = "Create_WhenOriginalUrlIsEmpty_ReturnsValidationError")]
    public async Task Create_WhenOriginalUrlIsNotAllowed_ReturnsValidationError(string url)
    {
        var body = new { original_url = url, link_function = "Portfolio" };

        using var response = await PostJsonAsync(Admin, $"{Api}/create", body);

        await AssertValidationErrorAsync(response, "original_url");
    }

    [Test]
    public async Task Create_WhenOriginalUrlIsLongerThan1000Characters_ReturnsValidationError()
    {
        var url = "https://example.com/" + new string('a', 1001 - "https://example.com/".Length);

        using var response = await PostJsonAsync(Admin, $"{Api}/create", new { original_url = url, link_function = "Portfolio" });

        await AssertValidationErrorAsync(response, "original_url");
    }

    [Test]
    public async Task Create_WhenOriginalUrlIsMissing_ReturnsValidationError()
    {
        using var response = await PostJsonAsync(Admin, $"{Api}/create", new { link_function = "Portfolio" });

        await AssertValidationErrorAsync(response, "original_url");
    }

    [TestCase(null, TestName = "Create_WhenLinkFunctionIsMissing_ReturnsValidationError")]
    [TestCase("", TestName = "Create_WhenLinkFunctionIsEmpty_ReturnsValidationError")]
    [TestCase("Linked In", TestName = "Create_WhenLinkFunctionHasASpace_ReturnsValidationError")]
    [TestCase("LinkedIn<script>", TestName = "Create_WhenLinkFunctionHasMarkup_ReturnsValidationError")]
    [TestCase("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxy", TestName = "Create_WhenLinkFunctionIsLongerThan50Characters_ReturnsValidationError")]
    public async Task Create_WhenLinkFunctionIsInvalid_ReturnsValidationError(string? linkFunction)
    {
        var body = new { original_url = "https://example.com/a", link_function = linkFunction };

        using var response = await PostJsonAsync(Admin, $"{Api}/create", body);

        await AssertValidationErrorAsync(response, "link_function");
    }

    [TestCase("website")]
    [TestCase("Profile")]
    public async Task Create_WhenLinkTypeIsUnknown_ReturnsValidationError(string linkType)
    {
        var body = new { original_url = "https://example.com/a", link_function = "Portfolio", link_type = linkType };

        using var response = await PostJsonAsync(Admin, $"{Api}/create", body);

        await AssertValidationErrorAsync(response, "link_type");
    }

    [Test]
    public async Task Create_WhenDescriptionIsLongerThan1000Characters_ReturnsValidationError()
    {
        var body = new { original_url = "https://example.com/a", link_function = "Portfolio", description = new string('d', 1001) };

        using var response = await PostJsonAsync(Admin, $"{Api}/create", body);

        await AssertValidationErrorAsync(response, "description");
    }

    [Test]
    public async Task Create_WhenCreatedByIsLongerThan100Characters_ReturnsValidationError()
    {
        var body = new { original_url = "https://example.com/a", link_function = "Portfolio", created_by = new string('c', 101) };

        using var response = await PostJsonAsync(Admin, $"{Api}/create", body);

        await AssertValidationErrorAsync(response, "created_by");
    }

    [Test]
    public async Task Create_WhenJobIdIsNotAUuid_ReturnsValidationError()
    {
        var body = new { original_url = "https://example.com/a", link_function = "Portfolio", job_id = "job-42" };

        using var response = await PostJsonAsync(Admin, $"{Api}/create", body);

        await AssertValidationErrorAsync(response, "job_id");
    }

    [Test]
    public async Task Create_WhenApplicationIdIsNotAUuid_ReturnsValidationError()
    {
        var body = new { original_url = "https://example.com/a", link_function = "Portfolio", application_id = 12345 };

        using var response = await PostJsonAsync(Admin, $"{Api}/create", body);

        await AssertValidationErrorAsync(response, "application_id");
    }

    [Test]
    public async Task Create_WithSeveralInvalidFields_NamesEachOfThem()
    {
        var body = new { original_url = "javascript:alert(1)", link_function = "Portfolio", link_type = "website", description = new string('d', 1001) };

        using var response = await PostJsonAsync(Admin, $"{Api}/create", body);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.That(Names(problem.GetProperty("errors")), Is.EquivalentTo(new[] { "original_url", "link_type", "description" }));
    }

    [Test]
    public async Task Create_WhenRejected_StoresNoLink()
    {
        using var rejected = await PostJsonAsync(Admin, $"{Api}/create", new { original_url = "javascript:alert(1)", link_function = "Portfolio" });

        var list = await GetJsonAsync($"{Api}/links");

        Assert.That(rejected.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(list.GetProperty("total").GetInt32(), Is.Zero);
    }

    [Test]
    public async Task Create_WithUnknownFields_IgnoresThem()
    {
        var body = new { original_url = "https://example.com/a", link_function = "Portfolio", colour = "blue", tracking_id = "lt_chosenbyme1" };

        using var response = await PostJsonAsync(Admin, $"{Api}/create", body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadJsonAsync(response)).GetProperty("tracking_id").GetString(), Is.Not.EqualTo("lt_chosenbyme1"));
    }
}
