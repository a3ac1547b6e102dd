using System.Diagnostics;
using System.Net;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;
using LinkTracking.WebApi.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests.Export;

/// <summary>
/// The export's first row must come within <c>Database:QueryTimeout</c>: a database that does not answer (another
/// connection holds a lock on the clicks) gives a 503 problem with <c>Retry-After</c> before anything is streamed,
/// never a 200 with a truncated body.
/// </summary>
public sealed class ExportTimeoutTests(TestProvider provider) : ApiFixture(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Database:QueryTimeout"] = TimeSpan.FromSeconds(2).ToString(),
    };

    [Test]
    public async Task Export_WhileAnotherConnectionLocksTheClicks_Answers503ProblemBeforeStreaming()
    {
        var trackingId = await CreateLinkIdAsync();
        await SeedClicksAsync(Click(trackingId, TimeSpan.FromHours(1), "s1", "198.51.100.1"));
        await Factory.FlushClicksAsync();
        await using var lockHolder = await Factory.Database.LockClicksAsync();
        var clock = Stopwatch.StartNew();

        using var response = await Admin.GetAsync($"{Api}/clicks/export?include_bots=true");

        var problem = await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero), "Retry-After");
            Assert.That(response.Content.Headers.ContentDisposition, Is.Null, "no attachment was started");
            Assert.That(problem.GetProperty("detail").GetString(), Is.EqualTo(ProblemDetailsExceptionHandler.DatabaseTimeoutDetail));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        });
    }

    [Test]
    public async Task Export_AfterTheLockIsReleased_StreamsAgain()
    {
        var trackingId = await CreateLinkIdAsync();
        await SeedClicksAsync(Click(trackingId, TimeSpan.FromHours(1), "s1", "198.51.100.1"));
        await Factory.FlushClicksAsync();
        await using (var lockHolder = await Factory.Database.LockClicksAsync())
        {
            using var refused = await Admin.GetAsync($"{Api}/clicks/export?include_bots=true");
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        }

        using var response = await Admin.GetAsync($"{Api}/clicks/export?include_bots=true");

        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(Csv.Parse(text), Has.Count.EqualTo(2));
    }
}
