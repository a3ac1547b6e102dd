namespace LinkTracking.Application.Common.Options;

/// <summary>Configuration section <c>Webhooks</c> (docs/webhooks.md).</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>Whether subscriptions may target loopback, private and link-local addresses (tests, internal receivers).</summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>Whether subscription URLs must be https.</summary>
    public bool RequireHttps { get; set; } = true;

    /// <summary>Whether this instance runs the delivery worker, the settler and the expiry scan.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long one delivery may take (connect, send, read the start of the answer).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The first retry's delay; each further retry doubles it (with ±25 % jitter), up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How long an event is retried before it is given up (marked failed).</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A subscription whose every delivery has failed for this long is disabled.</summary>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the delivery worker looks for due events when it found none.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Events one worker claims at once.</summary>
    public int BatchSize { get; set; } = 20;

    /// <summary>How long a claimed event is this worker's; after that another node may take it over.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Added to the burst and decoy windows before a human click is settled: covers the click pipeline's own delay
    /// between a click and its row. Clicks stored later than that (a spool replayed after a long outage) are not announced.
    /// </summary>
    public TimeSpan SettleMargin { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the settler runs.</summary>
    public TimeSpan SettleInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest <see cref="KeepDeliveriesDays"/> accepted (10 years).</summary>
    public const int MaxKeepDeliveriesDays = 3650;

    /// <summary>
    /// Days delivered and given-up outbox rows and the delivery log are kept (counted from their completion / the
    /// attempt); older ones are deleted in batches by the alert evaluator.
    /// </summary>
    public int KeepDeliveriesDays { get; set; } = 30;

    /// <summary>The alerts (<c>Webhooks:Alerts</c>): what raises them and how often they are evaluated.</summary>
    public WebhookAlertOptions Alerts { get; set; } = new();

    /// <summary>The rules, as the start-up failure states them.</summary>
    public const string Rules =
        "Webhooks: KeepDeliveriesDays must be 1-3650; Alerts:Interval positive and at most 1.00:00:00; Alerts:ClickSpikeFactor at least 1; "
        + "Alerts:ClickSpikeMinClicks at least 1; Alerts:ScannerOnlyAfter between 01:00:00 and 90.00:00:00; "
        + "Alerts:PipelineBacklogAge and Alerts:PipelineBacklogBytes not negative (0 turns that check off).";

    /// <summary>Whether the values checked at start-up are within <see cref="Rules"/>.</summary>
    public bool IsValid() =>
        KeepDeliveriesDays is >= 1 and <= MaxKeepDeliveriesDays
        && Alerts is not null
        && Alerts.Interval > TimeSpan.Zero && Alerts.Interval <= TimeSpan.FromDays(1)
        && Alerts.ClickSpikeFactor >= 1 && double.IsFinite(Alerts.ClickSpikeFactor)
        && Alerts.ClickSpikeMinClicks >= 1
        && Alerts.ScannerOnlyAfter >= TimeSpan.FromHours(1) && Alerts.ScannerOnlyAfter <= TimeSpan.FromDays(90)
        && Alerts.PipelineBacklogAge >= TimeSpan.Zero
        && Alerts.PipelineBacklogBytes >= 0;
}

/// <summary>Configuration section <c>Webhooks:Alerts</c>: the thresholds of the <c>alert.*</c> events (docs/webhooks.md).</summary>
public sealed class WebhookAlertOptions
{
    /// <summary>How often the alerts, the <c>link.expired</c> scan and the delivery clean-up run.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary><c>alert.click_spike</c>: the last hour's human clicks must exceed this many times the usual hourly rate…</summary>
    public double ClickSpikeFactor { get; set; } = 5;

    /// <summary>…and be at least this many, so that 0 → 2 is not a spike.</summary>
    public int ClickSpikeMinClicks { get; set; } = 10;

    /// <summary><c>alert.scanner_only</c>: how long after an application's first fetch, with no human click, it is announced.</summary>
    public TimeSpan ScannerOnlyAfter { get; set; } = TimeSpan.FromDays(7);

    /// <summary><c>alert.pipeline_backlog</c>: the age of the oldest click not yet moved into the database; 0 = not checked.</summary>
    public TimeSpan PipelineBacklogAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary><c>alert.pipeline_backlog</c>: bytes waiting in the local spool; 0 = not checked.</summary>
    public long PipelineBacklogBytes { get; set; } = 64L * 1024 * 1024;
}
