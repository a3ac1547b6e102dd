using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;
using Microsoft.Extensions.Options;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary><c>Retention:*</c> is checked at start-up: a bad value stops the service with a message naming it.</summary>
public sealed class RetentionConfigurationTests
{
    [TestCase("Retention:RawClickDays", "0")]
    [TestCase("Retention:RawClickDays", "-30")]
    [TestCase("Retention:RawClickDays", "36501")]
    [TestCase("Retention:PartitionMonthsAhead", "0")]
    [TestCase("Retention:MaintenanceInterval", "00:00:00")]
    public async Task ABadRetentionSetting_StopsTheStart_NamingIt(string key, string value)
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        await using var factory = new LinkTrackingApiFactory(database, new Dictionary<string, string?> { [key] = value });

        var failure = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.That(failure!.Message, Does.Contain(key.Split(':')[1]));
    }

    [Test]
    public async Task AValidRetention_Starts()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Sqlite);
        await using var factory = new LinkTrackingApiFactory(database, new Dictionary<string, string?> { ["Retention:RawClickDays"] = "400" });

        using var response = await factory.CreateClient().GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.That((int)response.StatusCode, Is.EqualTo(200));
    }
}
