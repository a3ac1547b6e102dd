using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;
using Microsoft.Extensions.Options;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>A setting the service cannot work with stops it at start-up with a message naming the key, before it serves.</summary>
public sealed class OptionsValidationTests
{
    [TestCase("ClickPipeline:MaxBatchSize", "0", "ClickPipeline:MaxBatchSize")]
    [TestCase("ClickPipeline:ReplayBatchSize", "0", "ClickPipeline:ReplayBatchSize")]
    [TestCase("ClickPipeline:MoveInterval", "00:00:00", "ClickPipeline:MoveInterval")]
    [TestCase("ClickPipeline:ReplayInterval", "00:00:00", "ClickPipeline:ReplayInterval")]
    [TestCase("ClickPipeline:Writers", "0", "ClickPipeline:Writers")]
    [TestCase("Database:QueryTimeout", "-00:00:01", "Database:QueryTimeout")]
    [TestCase("ClickClassification:SweepInterval", "00:00:00", "ClickClassification:SweepInterval")]
    [TestCase("Privacy:AnonymisationInterval", "00:00:00", "Privacy:AnonymisationInterval")]
    [TestCase("LinkTracking:Redirects:InvalidLink", "javascript:alert(1)", "LinkTracking:Redirects:InvalidLink")]
    [TestCase("LinkTracking:PublicBaseUrl", "go.example.com", "LinkTracking:PublicBaseUrl")]
    [TestCase("Network:TrustedProxies:0", "not-an-address", "Network:TrustedProxies")]
    [TestCase("Auth:BootstrapApiKey", "short", "Auth:BootstrapApiKey")]
    [TestCase("Lifecycle:DrainDelay", "-00:00:01", "Lifecycle:DrainDelay")]
    [TestCase("Lifecycle:ShutdownTimeout", "00:00:00", "Lifecycle:ShutdownTimeout")]
    [TestCase("Dashboard:SessionLifetime", "00:00:00", "Dashboard:SessionLifetime")]
    [TestCase("Dashboard:SessionLifetime", "-12:00:00", "Dashboard:SessionLifetime")]
    // Issue 25, item 5: no retention, limit or interval can delete data or spin a loop.
    [TestCase("OrphanVisits:RetentionDays", "-5", "OrphanVisits:RetentionDays")]
    [TestCase("Analytics:RollupInterval", "00:00:00", "Analytics:RollupInterval")]
    [TestCase("Analytics:MaxReadWait", "-00:00:01", "Analytics:MaxReadWait")]
    [TestCase("Analytics:CatchUpLimit", "00:02:00", "Analytics:CatchUpLimit")]
    [TestCase("OrphanVisits:RetentionDays", "0", "OrphanVisits:RetentionDays")]
    [TestCase("OrphanVisits:MaxPerDay", "0", "OrphanVisits:MaxPerDay")]
    [TestCase("OrphanVisits:MaxPerIpPerDay", "-1", "OrphanVisits:MaxPerIpPerDay")]
    [TestCase("Privacy:IpRetentionDays", "0", "Privacy:IpRetentionDays")]
    [TestCase("Privacy:AnonymisationInterval", "60.00:00:00", "Privacy:AnonymisationInterval")]
    [TestCase("Webhooks:KeepDeliveriesDays", "-1", "Webhooks:KeepDeliveriesDays")]
    [TestCase("Webhooks:PollInterval", "00:00:00", "Webhooks:PollInterval")]
    [TestCase("Webhooks:SettleInterval", "-00:00:01", "Webhooks:SettleInterval")]
    [TestCase("Webhooks:BatchSize", "0", "Webhooks:BatchSize")]
    [TestCase("Webhooks:Lease", "00:00:00", "Webhooks:Lease")]
    [TestCase("Webhooks:Timeout", "00:00:00", "Webhooks:Timeout")]
    [TestCase("Webhooks:RetryPeriod", "00:00:00", "Webhooks:RetryPeriod")]
    [TestCase("Webhooks:MaxRetryDelay", "00:00:01", "Webhooks:MaxRetryDelay")]
    [TestCase("Webhooks:Alerts:Interval", "00:00:00", "Webhooks:Alerts:Interval")]
    [TestCase("Webhooks:Alerts:PipelineBacklogBytes", "-1", "Webhooks:Alerts:PipelineBacklogBytes")]
    [TestCase("Retention:RawClickDays", "-30", "Retention:RawClickDays")]
    [TestCase("ClickClassification:BurstWindow", "00:00:00", "ClickClassification:BurstWindow")]
    [TestCase("ClickClassification:BurstMinLinks", "1", "ClickClassification:BurstMinLinks")]
    [TestCase("ClickEnrichment:AgentCacheSize", "0", "ClickEnrichment:AgentCacheSize")]
    [TestCase("ClickPipeline:MaxSpoolBytes", "-1", "ClickPipeline:MaxSpoolBytes")]
    [TestCase("RateLimits:ClicksPerMinutePerIp", "-1", "RateLimits:ClicksPerMinutePerIp")]
    [TestCase("Telemetry:Prometheus:AllowedNetworks:0", "10.0.0.1", "Telemetry:Prometheus:AllowedNetworks")]
    [TestCase("Security:DeniedHosts:0", "https://evil.example/", "Security:DeniedHosts")]
    [TestCase("Redis:Configuration", ",,,", "Redis:Configuration")]
    public async Task Start_WithAnUnusableValue_FailsNamingTheKey(string key, string value, string named)
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite, migrate: false);
        await using var factory = new LinkTrackingApiFactory(database, new Dictionary<string, string?> { [key] = value });

        var failure = Assert.Catch(() => factory.CreateClient());

        var validation = Unwrap(failure);
        Assert.That(validation, Is.Not.Null, failure?.ToString());
        Assert.That(validation!.Message, Does.Contain(named));
    }

    [Test]
    public async Task Start_WithTheDocumentedOffAndAtOnceValues_Serves()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        await using var factory = new LinkTrackingApiFactory(database, new Dictionary<string, string?>
        {
            ["OrphanVisits:MaxPerIpPerDay"] = "0",
            ["RateLimits:ClicksPerMinutePerIp"] = "0",
            ["ClickPipeline:MaxSpoolBytes"] = "0",
            ["ClickPipeline:JournalLinger"] = "00:00:00",
            ["Webhooks:Alerts:PipelineBacklogAge"] = "00:00:00",
            ["Webhooks:Alerts:PipelineBacklogBytes"] = "0",
            ["ClickClassification:SoonAfterSend"] = "00:00:00",
            ["Lifecycle:DrainDelay"] = "00:00:00",
            ["Auth:BootstrapApiKey"] = LinkTrackingApiFactory.AdminKey,
            ["Security:DeniedHosts:0"] = "evil.example",
            ["Network:TrustedProxies:0"] = "10.0.0.1",
            ["Network:TrustedProxies:1"] = "10.1.0.0/16",
        });

        using var response = await factory.CreateClient().GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.That((int)response.StatusCode, Is.EqualTo(200));
    }

    private static OptionsValidationException? Unwrap(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is OptionsValidationException validation)
            {
                return validation;
            }

            if (e is AggregateException aggregate && aggregate.InnerExceptions.Select(Unwrap).FirstOrDefault(v => v is not null) is { } inner)
            {
                return inner;
            }
        }

        return null;
    }
}
