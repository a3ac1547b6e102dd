using LinkTracking.Application.Common.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace LinkTracking.Application.UnitTests.Webhooks;

/// <summary>The start-up check of <c>Webhooks</c>: the defaults pass, a threshold that cannot work stops the service naming its key.</summary>
public sealed class WebhookOptionsTests
{
    [Test]
    public void TheDefaults_AreValid() => Assert.That(Validate([]), Is.Empty);

    [TestCase("Webhooks:KeepDeliveriesDays", "0")]
    [TestCase("Webhooks:KeepDeliveriesDays", "3651")]
    [TestCase("Webhooks:Alerts:ClickSpikeFactor", "0.5")]
    [TestCase("Webhooks:Alerts:ClickSpikeFactor", "NaN")]
    [TestCase("Webhooks:Alerts:ClickSpikeMinClicks", "0")]
    [TestCase("Webhooks:Alerts:ScannerOnlyAfter", "00:30:00")]
    [TestCase("Webhooks:Alerts:Interval", "00:00:00")]
    [TestCase("Webhooks:Alerts:PipelineBacklogAge", "-01:00:00")]
    [TestCase("Webhooks:Alerts:PipelineBacklogBytes", "-1")]
    [TestCase("Webhooks:PollInterval", "00:00:00")]
    [TestCase("Webhooks:InitialRetryDelay", "00:00:00")]
    [TestCase("Webhooks:MaxRetryDelay", "00:00:05")]
    public void AValueOutsideTheRules_IsRejected_NamingItsKey(string key, string value)
    {
        var failures = Validate(new() { [key] = value });

        Assert.That(failures, Has.Some.Contains(key));
    }

    /// <summary>Binds the settings as the service does and runs both validators it registers for <c>Webhooks</c>.</summary>
    private static List<string> Validate(Dictionary<string, string?> settings)
    {
        var options = new WebhookOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(WebhookOptions.SectionName).Bind(options);
        IValidateOptions<WebhookOptions>[] validators = [new WebhookOptionsValidator(), new FluentOptionsValidator<WebhookOptions, WebhookOptionsRules>()];
        return [.. validators.SelectMany(v => v.Validate(null, options).Failures ?? [])];
    }
}
