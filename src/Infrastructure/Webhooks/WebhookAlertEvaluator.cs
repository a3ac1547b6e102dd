using LinkTracking.Application.Common.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Webhooks;

/// <summary>What one round of <see cref="WebhookAlertEvaluator"/> did: links announced as expired, alerts raised per type, rows deleted.</summary>
public sealed record AlertRound(int ExpiredLinks, IReadOnlyDictionary<string, int> Raised, long DeletedRows);

/// <summary>
/// The webhook events nobody's request causes, every <see cref="WebhookAlertOptions.Interval"/> on every node that runs
/// webhooks: <c>link.expired</c> (<see cref="LinkExpiryAnnouncer"/>), each <c>alert.*</c> rule
/// (<see cref="IWebhookAlertRule"/>, announced by <see cref="WebhookAlertEpisodes"/>) and the clean-up
/// (<see cref="WebhookCleanup"/>) — each step on its own, so that one failing does not hold up the others.
/// </summary>
public sealed partial class WebhookAlertEvaluator(
    LinkExpiryAnnouncer expiry,
    IEnumerable<IWebhookAlertRule> rules,
    WebhookAlertEpisodes episodes,
    WebhookCleanup cleanup,
    IOptions<WebhookOptions> options,
    TimeProvider timeProvider,
    ILogger<WebhookAlertEvaluator> logger) : BackgroundService
{
    private readonly IReadOnlyList<IWebhookAlertRule> _rules = [.. rules];

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundRounds.RunAsync(
            async ct => (await EvaluateAsync(ct)).ExpiredLinks >= LinkExpiryAnnouncer.BatchSize, options.Value.Alerts.Interval, timeProvider, LogRoundFailed, stoppingToken);

    /// <summary>One round.</summary>
    public async Task<AlertRound> EvaluateAsync(CancellationToken cancellationToken)
    {
        var expired = await StepAsync(expiry.AnnounceAsync, "link.expired", cancellationToken);
        var raised = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var rule in _rules)
        {
            raised[rule.Type] = await StepAsync(ct => episodes.CheckAsync(rule, ct), rule.Type, cancellationToken);
        }

        var deleted = await StepAsync(async ct => (int)Math.Min(int.MaxValue, await cleanup.DeleteOldAsync(ct)), "clean-up", cancellationToken);
        return new AlertRound(expired, raised, deleted);
    }

    /// <summary>Evaluates the rule of <paramref name="type"/> alone. Returns how many alerts it raised.</summary>
    public Task<int> CheckAsync(string type, CancellationToken cancellationToken) =>
        episodes.CheckAsync(_rules.Single(r => r.Type == type), cancellationToken);

    private async Task<int> StepAsync(Func<CancellationToken, Task<int>> step, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await step(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A database hiccup (or another node winning a race) is retried at the next round.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogStepFailed(exception, name);
            return 0;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A webhook alert round failed; retrying")]
    private partial void LogRoundFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Step} step of the webhook alert evaluator failed; retrying at the next round")]
    private partial void LogStepFailed(Exception exception, string step);
}
