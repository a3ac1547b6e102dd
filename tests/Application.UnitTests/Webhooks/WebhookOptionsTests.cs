using LinkTracking.Application.Common.Options;

namespace LinkTracking.Application.UnitTests.Webhooks;

/// <summary>The start-up check of <c>Webhooks</c>: the defaults pass, a threshold that cannot work stops the service.</summary>
public sealed class WebhookOptionsTests
{
    [Test]
    public void TheDefaults_AreValid() => Assert.That(new WebhookOptions().IsValid(), Is.True);

    [TestCase(nameof(WebhookOptions.KeepDeliveriesDays), 0)]
    [TestCase(nameof(WebhookOptions.KeepDeliveriesDays), 3651)]
    [TestCase(nameof(WebhookAlertOptions.ClickSpikeFactor), 0.5)]
    [TestCase(nameof(WebhookAlertOptions.ClickSpikeFactor), double.NaN)]
    [TestCase(nameof(WebhookAlertOptions.ClickSpikeMinClicks), 0)]
    [TestCase(nameof(WebhookAlertOptions.ScannerOnlyAfter), 0.5)]
    [TestCase(nameof(WebhookAlertOptions.Interval), 0.0)]
    [TestCase(nameof(WebhookAlertOptions.PipelineBacklogAge), -1.0)]
    [TestCase(nameof(WebhookAlertOptions.PipelineBacklogBytes), -1)]
    public void AValueOutsideTheRules_IsRejected(string key, object value)
    {
        var options = new WebhookOptions();
        var hours = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
        switch (key)
        {
            case nameof(WebhookOptions.KeepDeliveriesDays): options.KeepDeliveriesDays = (int)value; break;
            case nameof(WebhookAlertOptions.ClickSpikeFactor): options.Alerts.ClickSpikeFactor = hours; break;
            case nameof(WebhookAlertOptions.ClickSpikeMinClicks): options.Alerts.ClickSpikeMinClicks = (int)value; break;
            case nameof(WebhookAlertOptions.ScannerOnlyAfter): options.Alerts.ScannerOnlyAfter = TimeSpan.FromHours(hours); break;
            case nameof(WebhookAlertOptions.Interval): options.Alerts.Interval = TimeSpan.FromHours(hours); break;
            case nameof(WebhookAlertOptions.PipelineBacklogAge): options.Alerts.PipelineBacklogAge = TimeSpan.FromHours(hours); break;
            default: options.Alerts.PipelineBacklogBytes = (int)value; break;
        }

        Assert.That(options.IsValid(), Is.False, WebhookOptions.Rules);
    }
}
