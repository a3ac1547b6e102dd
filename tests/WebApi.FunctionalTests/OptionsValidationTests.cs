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
    public async Task Start_WithAnUnusableValue_FailsNamingTheKey(string key, string value, string named)
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite, migrate: false);
        await using var factory = new LinkTrackingApiFactory(database, new Dictionary<string, string?> { [key] = value });

        var failure = Assert.Catch(() => factory.CreateClient());

        var validation = Unwrap(failure);
        Assert.That(validation, Is.Not.Null, failure?.ToString());
        Assert.That(validation!.Message, Does.Contain(named));
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
