using System.Net;
using System.Text.Json;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>POST applications/{application_id}/links: the standard link package of one application.</summary>
public sealed class ApplicationPackageTests(TestProvider provider) : ApiFixture(provider)
{
    private const string PublicBase = "https://t.example.com";
    private const string LinkedInProfile = "https://www.linkedin.com/in/jane-doe";
    private const string CalendlyProfile = "https://calendly.com/jane-doe/30min";
    private const string PortfolioSite = "https://jane.example.dev/";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["LinkTracking:PublicBaseUrl"] = PublicBase,
        ["LinkTracking:StandardLinks:LinkedIn"] = LinkedInProfile,
        ["LinkTracking:StandardLinks:Calendly"] = CalendlyProfile,
        ["LinkTracking:StandardLinks:Portfolio"] = PortfolioSite,
    };

    [Test]
    public async Task CreatePackage_WithJobData_ReturnsStandardAndJobLinks()
    {
        var applicationId = Guid.NewGuid();
        var body = new
        {
            job_id = Guid.NewGuid(),
            job_data = new { company_website = "https://acme.example.com/", apply_url = "https://acme.example.com/apply/7", job_url = "https://jobs.example.com/acme/7" },
        };

        using var response = await PostJsonAsync(Admin, Package(applicationId), body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var links = (await ReadJsonAsync(response)).GetProperty("links");
        Assert.That(Names(links), Is.EquivalentTo(new[] { "LinkedIn", "Calendly", "Portfolio", "Company_Website", "Apply_Now", "Job_Posting" }));
        Assert.That(links.EnumerateObject().Select(l => l.Value.GetString()), Has.All.Match($"^{PublicBase}/track/lt_[a-z0-9]{{12}}$"));
    }

    [Test]
    public async Task CreatePackage_EachRedirectUrl_LeadsToItsDestination()
    {
        var applicationId = Guid.NewGuid();
        var body = new { job_data = new { apply_url = "https://acme.example.com/apply/7" } };
        using var response = await PostJsonAsync(Admin, Package(applicationId), body);
        var links = (await ReadJsonAsync(response)).GetProperty("links");

        var destinations = new Dictionary<string, string?>();
        foreach (var link in links.EnumerateObject())
        {
            using var redirect = await Anonymous.GetAsync(new Uri(link.Value.GetString()!).PathAndQuery);
            destinations[link.Name] = redirect.Headers.Location?.ToString();
        }

        Assert.That(destinations, Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["LinkedIn"] = LinkedInProfile,
            ["Calendly"] = CalendlyProfile,
            ["Portfolio"] = PortfolioSite,
            ["Apply_Now"] = "https://acme.example.com/apply/7",
        }));
    }

    [Test]
    public async Task CreatePackage_CreatesLinksOwnedByTheApplicationAndJob()
    {
        var applicationId = Guid.NewGuid();
        var jobId = Guid.NewGuid();
        var body = new
        {
            job_id = jobId,
            job_data = new { company_website = "https://acme.example.com/", apply_url = "https://acme.example.com/apply/7", job_url = "https://jobs.example.com/acme/7" },
        };
        using var response = await PostJsonAsync(Admin, Package(applicationId), body);

        var page = await GetJsonAsync($"{Api}/links?application_id={applicationId}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var items = page.GetProperty("items").EnumerateArray().ToArray();
        var types = items.ToDictionary(i => i.GetProperty("link_function").GetString()!, i => i.GetProperty("link_type").GetString());
        Assert.Multiple(() =>
        {
            Assert.That(page.GetProperty("total").GetInt32(), Is.EqualTo(6));
            Assert.That(items.Select(i => i.GetProperty("job_id").GetGuid()), Is.All.EqualTo(jobId));
            Assert.That(types["Company_Website"], Is.EqualTo("job_posting"));
            Assert.That(types["Apply_Now"], Is.EqualTo("application"));
            Assert.That(types["Job_Posting"], Is.EqualTo("job_posting"));
        });
    }

    [Test]
    public async Task CreatePackage_WithANullExtraLink_Is400NamingIt()
    {
        using var response = await PostJsonAsync(Admin, Package(Guid.NewGuid()), new { extra_links = new object?[] { null } });

        var problem = await ReadJsonAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.GetProperty("errors").EnumerateObject().Select(e => e.Name), Does.Contain("extra_links[0]"));
    }

    [Test]
    public async Task CreatePackage_WithEmptyJobFields_SkipsThem()
    {
        var body = new { job_data = new { company_website = "", apply_url = (string?)null, job_url = "https://jobs.example.com/acme/7" } };

        using var response = await PostJsonAsync(Admin, Package(Guid.NewGuid()), body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That(Names((await ReadJsonAsync(response)).GetProperty("links")), Is.EquivalentTo(new[] { "LinkedIn", "Calendly", "Portfolio", "Job_Posting" }));
    }

    [Test]
    public async Task CreatePackage_WithExtraLinks_AddsThem()
    {
        var applicationId = Guid.NewGuid();
        var body = new { extra_links = new[] { new { link_function = "GitHub", original_url = "https://github.com/jane-doe", link_type = "profile" } } };

        using var response = await PostJsonAsync(Admin, Package(applicationId), body);
        var page = await GetJsonAsync($"{Api}/links?application_id={applicationId}&link_function=GitHub");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That(Names((await ReadJsonAsync(response)).GetProperty("links")), Does.Contain("GitHub"));
        var gitHub = page.GetProperty("items")[0];
        Assert.That(gitHub.GetProperty("original_url").GetString(), Is.EqualTo("https://github.com/jane-doe"));
        Assert.That(gitHub.GetProperty("link_type").GetString(), Is.EqualTo("profile"));
    }

    [Test]
    public async Task CreatePackage_WithExtraLinkForAStandardFunction_UsesTheExtraUrl()
    {
        var body = new { extra_links = new[] { new { link_function = "LinkedIn", original_url = "https://www.linkedin.com/in/jane-doe-2", link_type = "profile" } } };

        using var response = await PostJsonAsync(Admin, Package(Guid.NewGuid()), body);
        var linkedIn = Links(await ReadJsonAsync(response))["LinkedIn"];
        using var redirect = await Anonymous.GetAsync(new Uri(linkedIn).PathAndQuery);

        Assert.That(redirect.Headers.Location?.ToString(), Is.EqualTo("https://www.linkedin.com/in/jane-doe-2"));
    }

    [Test]
    public async Task CreatePackage_WithoutBody_ReturnsTheStandardLinks()
    {
        using var response = await Admin.PostAsync(Package(Guid.NewGuid()), null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That(Names((await ReadJsonAsync(response)).GetProperty("links")), Is.EquivalentTo(new[] { "LinkedIn", "Calendly", "Portfolio" }));
    }

    [Test]
    public async Task CreatePackage_CalledTwice_ReturnsTheSameTrackingIdsWithoutDuplicates()
    {
        var applicationId = Guid.NewGuid();
        var body = new { job_data = new { apply_url = "https://acme.example.com/apply/7" } };
        using var first = await PostJsonAsync(Admin, Package(applicationId), body);

        using var second = await PostJsonAsync(Admin, Package(applicationId), body);
        var page = await GetJsonAsync($"{Api}/links?application_id={applicationId}");

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Created), await second.Content.ReadAsStringAsync());
        Assert.That(Links(await ReadJsonAsync(second)), Is.EquivalentTo(Links(await ReadJsonAsync(first))));
        Assert.That(page.GetProperty("total").GetInt32(), Is.EqualTo(4));
    }

    [Test]
    public async Task CreatePackage_CalledAgainWithAnExtraLink_KeepsTheExistingLinksAndAddsTheNewOne()
    {
        var applicationId = Guid.NewGuid();
        using var first = await PostJsonAsync(Admin, Package(applicationId), new { });
        var before = Links(await ReadJsonAsync(first));

        using var second = await PostJsonAsync(Admin, Package(applicationId), new { extra_links = new[] { new { link_function = "Resume", original_url = "https://files.example.com/cv.pdf", link_type = "document" } } });

        var after = Links(await ReadJsonAsync(second));
        Assert.That(after.Keys, Is.EquivalentTo(before.Keys.Append("Resume")));
        Assert.That(before.All(l => after[l.Key] == l.Value), Is.True, "existing links changed");
    }

    [Test]
    public async Task CreatePackage_WhenAJobUrlIsNotAllowed_ReturnsValidationErrorAndCreatesNothing()
    {
        var applicationId = Guid.NewGuid();

        using var response = await PostJsonAsync(Admin, Package(applicationId), new { job_data = new { apply_url = "javascript:alert(1)" } });
        var page = await GetJsonAsync($"{Api}/links?application_id={applicationId}");

        await AssertValidationErrorAsync(response, "job_data.apply_url");
        Assert.That(page.GetProperty("total").GetInt32(), Is.Zero);
    }

    [Test]
    public async Task CreatePackage_WhenAnExtraLinkIsInvalid_ReturnsValidationErrorNamingIt()
    {
        var body = new { extra_links = new[] { new { link_function = "Bad Function", original_url = "https://example.com/", link_type = "profile" } } };

        using var response = await PostJsonAsync(Admin, Package(Guid.NewGuid()), body);

        await AssertValidationErrorAsync(response, "extra_links[0].link_function");
    }

    [Test]
    public async Task CreatePackage_WhenApplicationIdIsNotAUuid_ReturnsValidationError()
    {
        using var response = await PostJsonAsync(Admin, $"{Api}/applications/app-7/links", new { });

        await AssertValidationErrorAsync(response, "application_id");
    }

    private static string Package(Guid applicationId) => $"{Api}/applications/{applicationId}/links";

    private static Dictionary<string, string> Links(JsonElement package) =>
        package.GetProperty("links").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
}
