namespace LinkTracking.Domain.Webhooks;

/// <summary>The event types a webhook subscription may ask for (docs/webhooks.md describes each payload).</summary>
public static class WebhookEventTypes
{
    public const string ClickHuman = "click.human";
    public const string ClickReclassified = "click.reclassified";
    public const string ApplicationFirstHumanClick = "application.first_human_click";
    public const string ApplicationOutcome = "application.outcome";
    public const string LinkCreated = "link.created";
    public const string LinkDeactivated = "link.deactivated";
    public const string LinkExpired = "link.expired";
    public const string AlertClickSpike = "alert.click_spike";
    public const string AlertScannerOnly = "alert.scanner_only";
    public const string AlertPipelineBacklog = "alert.pipeline_backlog";

    /// <summary>Longest event type name, for column sizes.</summary>
    public const int MaxLength = 64;

    public static IReadOnlyList<string> All { get; } =
    [
        ClickHuman, ClickReclassified, ApplicationFirstHumanClick, ApplicationOutcome, LinkCreated, LinkDeactivated, LinkExpired,
        AlertClickSpike, AlertScannerOnly, AlertPipelineBacklog,
    ];

    public static bool IsKnown(string? type) => type is not null && All.Contains(type, StringComparer.Ordinal);
}
