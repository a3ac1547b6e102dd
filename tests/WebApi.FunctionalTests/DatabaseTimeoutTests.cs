using System.Diagnostics;
using System.Net;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;
using LinkTracking.WebApi.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// A query that outlives <c>Database:QueryTimeout</c> answers 503 with <c>Retry-After</c>, not 500, and the service
/// answers normally again once the database does. The slowness is real: another connection holds a lock the report
/// needs (<see cref="TestDatabase.LockClicksAsync"/>).
/// </summary>
public sealed class DatabaseTimeoutTests(TestProvider provider) : ApiFixture(provider)
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(2);

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Database:QueryTimeout"] = QueryTimeout.ToString(),
    };

    [Test]
    public async Task Report_WhileAnotherConnectionLocksTheClicks_Answers503ProblemWithRetryAfter()
    {
        await SeedOneClickAsync();
        await using var lockHolder = await LockClicksAsync();
        var clock = Stopwatch.StartNew();

        using var response = await Admin.GetAsync($"{Api}/report?days=30");

        var problem = await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero), "Retry-After");
            Assert.That(problem.GetProperty("detail").GetString(), Is.EqualTo(ProblemDetailsExceptionHandler.DatabaseTimeoutDetail));
            // Given up at the query timeout, not at a provider's default of 30 s.
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        });
    }

    [Test]
    public async Task Report_AfterTheLockIsReleased_AnswersAgain()
    {
        await SeedOneClickAsync();
        await using (var lockHolder = await LockClicksAsync())
        {
            using var refused = await Admin.GetAsync($"{Api}/report?days=30");
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        }

        var report = await GetJsonAsync($"{Api}/report?days=30");

        Assert.That(report.GetProperty("overall_statistics").GetProperty("total_clicks").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task Report_WithoutALock_IsWellWithinTheQueryTimeout()
    {
        await SeedOneClickAsync();

        var report = await GetJsonAsync($"{Api}/report?days=30");

        Assert.That(report.GetProperty("overall_statistics").GetProperty("total_clicks").GetInt32(), Is.EqualTo(1));
    }

    /// <summary>One stored click (moved into the database, so nothing waits on the locked table but the query itself).</summary>
    private async Task SeedOneClickAsync()
    {
        var trackingId = await CreateLinkIdAsync();
        await SeedClicksAsync(Click(trackingId, TimeSpan.FromHours(1), sessionId: "s1"));
        await Factory.FlushClicksAsync();
    }

    private Task<IAsyncDisposable> LockClicksAsync() => Factory.Database.LockClicksAsync();
}
