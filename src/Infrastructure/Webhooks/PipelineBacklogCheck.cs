using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Options;

namespace LinkTracking.Infrastructure.Webhooks;

/// <summary>The <c>data</c> of <c>alert.pipeline_backlog</c>.</summary>
public sealed record PipelineBacklogAlertData(
    string Node,
    long SpoolBytes,
    double OldestUnmovedAgeSeconds,
    long ThresholdSpoolBytes,
    double ThresholdAgeSeconds,
    IReadOnlyList<string> Exceeded);

/// <summary>Whether a node's click pipeline (read once from its <see cref="IClickPipelineBacklog"/>) is over a threshold of <see cref="WebhookAlertOptions"/>.</summary>
public static class PipelineBacklogCheck
{
    public const string Age = "oldest_unmoved_age";
    public const string Bytes = "spool_bytes";

    /// <summary>
    /// The alert's data when the mover's lag is above <see cref="WebhookAlertOptions.PipelineBacklogAge"/> or the spool
    /// above <see cref="WebhookAlertOptions.PipelineBacklogBytes"/> (a threshold of 0 is not checked); null otherwise.
    /// </summary>
    public static PipelineBacklogAlertData? Evaluate(IClickPipelineBacklog pipeline, WebhookAlertOptions thresholds, string node)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(thresholds);
        var reading = pipeline.Read();
        var exceeded = new List<string>(2);
        if (thresholds.PipelineBacklogAge > TimeSpan.Zero && reading.OldestUnmovedAge > thresholds.PipelineBacklogAge)
        {
            exceeded.Add(Age);
        }

        if (thresholds.PipelineBacklogBytes > 0 && reading.SpoolBytes > thresholds.PipelineBacklogBytes)
        {
            exceeded.Add(Bytes);
        }

        return exceeded.Count == 0
            ? null
            : new PipelineBacklogAlertData(
                node,
                reading.SpoolBytes,
                Math.Round(reading.OldestUnmovedAge.TotalSeconds, 1),
                thresholds.PipelineBacklogBytes,
                thresholds.PipelineBacklogAge.TotalSeconds,
                exceeded);
    }
}
