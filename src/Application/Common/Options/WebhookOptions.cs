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

    /// <summary>How often the settler and the expiry scan run.</summary>
    public TimeSpan SettleInterval { get; set; } = TimeSpan.FromSeconds(5);
}
