using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Webhooks;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Webhooks;

/// <summary>
/// <c>alert.pipeline_backlog</c> for this node (each node has a spool of its own): in the condition while
/// <see cref="PipelineBacklogCheck"/> finds a threshold exceeded; the episode closes when neither is.
/// </summary>
public sealed class PipelineBacklogRule(IClickPipelineBacklog pipeline, IOptions<WebhookOptions> options) : IWebhookAlertRule
{
    /// <summary>This node's name in the alert.</summary>
    public string Node { get; init; } = Environment.MachineName;

    public string Type => WebhookEventTypes.AlertPipelineBacklog;

    public bool Recurs => true;

    public string? OnlyKey => Key(Node);

    public Task<IReadOnlyList<WebhookAlert>> FindAsync(LinkTrackingDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        var data = PipelineBacklogCheck.Evaluate(pipeline, options.Value.Alerts, Node);
        IReadOnlyList<WebhookAlert> found = data is null ? [] : [new WebhookAlert(Key(Node), new WebhookEventDraft(Type, null, null, data))];
        return Task.FromResult(found);
    }

    public static string Key(string node)
    {
        var key = $"{WebhookEventTypes.AlertPipelineBacklog}:{node}";
        return key.Length > WebhookAlertEpisode.MaxKeyLength ? key[..WebhookAlertEpisode.MaxKeyLength] : key;
    }
}
