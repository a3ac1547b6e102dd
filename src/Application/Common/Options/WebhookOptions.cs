using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Microsoft.Extensions.Options;

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
    [PositiveDuration("1.00:00:00", ErrorMessage = "Webhooks:Timeout must be longer than zero and at most {2}.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The first retry's delay; each further retry doubles it (with ±25 % jitter), up to <see cref="MaxRetryDelay"/>.</summary>
    [PositiveDuration(ErrorMessage = "Webhooks:InitialRetryDelay must be longer than zero and at most {2}.")]
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    [PositiveDuration(ErrorMessage = "Webhooks:MaxRetryDelay must be longer than zero and at most {2}.")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How long an event is retried before it is given up (marked failed).</summary>
    [PositiveDuration(OptionLimits.MaxDuration, ErrorMessage = "Webhooks:RetryPeriod must be longer than zero.")]
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A subscription whose every delivery has failed for this long is disabled.</summary>
    [PositiveDuration(OptionLimits.MaxDuration, ErrorMessage = "Webhooks:DisableAfter must be longer than zero.")]
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the delivery worker looks for due events when it found none.</summary>
    [PositiveDuration(ErrorMessage = "Webhooks:PollInterval must be longer than zero and at most {2}.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Events one worker claims at once.</summary>
    [Between(1, int.MaxValue, ErrorMessage = "Webhooks:BatchSize must be at least {1}.")]
    public int BatchSize { get; set; } = 20;

    /// <summary>How long a claimed event is this worker's; after that another node may take it over.</summary>
    [PositiveDuration(ErrorMessage = "Webhooks:Lease must be longer than zero and at most {2}.")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the settler looks for human clicks to announce (<c>click.human</c> comes this much after the burst window at most).</summary>
    [PositiveDuration(ErrorMessage = "Webhooks:SettleInterval must be longer than zero and at most {2}.")]
    public TimeSpan SettleInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest <see cref="KeepDeliveriesDays"/> accepted (10 years).</summary>
    public const int MaxKeepDeliveriesDays = 3650;

    /// <summary>
    /// Days delivered and given-up outbox rows and the delivery log are kept (counted from their completion / the
    /// attempt); older ones are deleted in batches by the alert evaluator.
    /// </summary>
    [Between(1, MaxKeepDeliveriesDays, ErrorMessage = "Webhooks:KeepDeliveriesDays must be between {1} and {2}.")]
    public int KeepDeliveriesDays { get; set; } = 30;

    /// <summary>The alerts (<c>Webhooks:Alerts</c>): what raises them and how often they are evaluated.</summary>
    [Required(ErrorMessage = "Webhooks:Alerts must be set.")]
    [ValidateObjectMembers]
    public WebhookAlertOptions Alerts { get; set; } = new();
}

/// <summary>Configuration section <c>Webhooks:Alerts</c>: the thresholds of the <c>alert.*</c> events (docs/webhooks.md).</summary>
public sealed class WebhookAlertOptions
{
    /// <summary>How often the alerts, the <c>link.expired</c> scan and the delivery clean-up run.</summary>
    [PositiveDuration("1.00:00:00", ErrorMessage = "Webhooks:Alerts:Interval must be longer than zero and at most {2}.")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary><c>alert.click_spike</c>: the last hour's human clicks must exceed this many times the usual hourly rate…</summary>
    [Between(1, double.MaxValue, ErrorMessage = "Webhooks:Alerts:ClickSpikeFactor must be at least {1}.")]
    public double ClickSpikeFactor { get; set; } = 5;

    /// <summary>…and be at least this many, so that 0 → 2 is not a spike.</summary>
    [Between(1, int.MaxValue, ErrorMessage = "Webhooks:Alerts:ClickSpikeMinClicks must be at least {1}.")]
    public int ClickSpikeMinClicks { get; set; } = 10;

    /// <summary><c>alert.scanner_only</c>: how long after an application's first fetch, with no human click, it is announced.</summary>
    [Between(typeof(TimeSpan), "01:00:00", "90.00:00:00", ErrorMessage = "Webhooks:Alerts:ScannerOnlyAfter must be between {1} and {2}.")]
    public TimeSpan ScannerOnlyAfter { get; set; } = TimeSpan.FromDays(7);

    /// <summary><c>alert.pipeline_backlog</c>: the age of the oldest click not yet moved into the database; 0 = not checked.</summary>
    [NonNegativeDuration(OptionLimits.MaxDuration, ErrorMessage = "Webhooks:Alerts:PipelineBacklogAge must not be negative (0 turns the check off).")]
    public TimeSpan PipelineBacklogAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary><c>alert.pipeline_backlog</c>: bytes waiting in the local spool; 0 = not checked.</summary>
    [Between(typeof(long), "0", "9223372036854775807", ErrorMessage = "Webhooks:Alerts:PipelineBacklogBytes must not be negative (0 turns the check off).")]
    public long PipelineBacklogBytes { get; set; } = 64L * 1024 * 1024;
}

/// <summary>Checks <see cref="WebhookOptions"/> (and its <c>Alerts</c>) at start-up, source-generated from the data annotations.</summary>
[OptionsValidator]
public sealed partial class WebhookOptionsValidator : IValidateOptions<WebhookOptions>;

/// <summary>The <c>Webhooks</c> rules that span fields.</summary>
public sealed class WebhookOptionsRules : AbstractValidator<WebhookOptions>
{
    public WebhookOptionsRules() =>
        RuleFor(o => o.MaxRetryDelay)
            .GreaterThanOrEqualTo(o => o.InitialRetryDelay)
            .WithMessage("Webhooks:MaxRetryDelay must not be shorter than Webhooks:InitialRetryDelay.");
}
