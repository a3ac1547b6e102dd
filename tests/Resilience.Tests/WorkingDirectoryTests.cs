using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LinkTracking.Tests.Shared;

namespace LinkTracking.Resilience.Tests;

/// <summary>
/// The binary started from a directory of its own choosing (as a service manager or a container does), on its
/// defaults: the SQLite database and the spool land under <c>./data/</c> of that working directory, as the README says,
/// and the dashboard still finds its pages and static assets next to the binary.
/// </summary>
public sealed class WorkingDirectoryTests
{
    [Test]
    public async Task ServiceStartedFromAnotherDirectory_KeepsItsDataUnderThatDirectory_AndServesTheDashboard()
    {
        var work = Directory.CreateTempSubdirectory("linktracking-workdir-").FullName;
        try
        {
            await using (var service = await ServiceProcess.StartOnDefaultsAsync(work))
            {
                using var admin = service.CreateClient();
                using var anonymous = service.CreateClient(null);

                using var created = await admin.PostAsJsonAsync(
                    "/api/v1/link-tracking/create",
                    new Dictionary<string, string> { ["original_url"] = "https://example.com/workdir", ["link_function"] = "Portfolio" });
                var trackingId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("tracking_id").GetString();
                using var redirect = await anonymous.GetAsync($"/track/{trackingId}");
                using var css = await anonymous.GetAsync("/dashboard/assets/dashboard.css");
                var cssText = await css.Content.ReadAsStringAsync();
                using var signIn = await anonymous.GetAsync("/dashboard/sign-in");

                Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
                Assert.That(redirect.StatusCode, Is.EqualTo(HttpStatusCode.Found));
                Assert.That(File.Exists(Path.Combine(work, "data", "linktracking.db")), "the SQLite file is not under the working directory's ./data/");
                Assert.That(Directory.Exists(Path.Combine(work, "data", "spool")), "the spool is not under the working directory's ./data/");
                Assert.That(css.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the dashboard's assets were not found from another working directory");
                Assert.That(css.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/css"));
                Assert.That(cssText, Is.EqualTo(await File.ReadAllTextAsync(RepositoryRoot.Combine("src", "WebApi", "wwwroot", "dashboard", "assets", "dashboard.css"))));
                Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
