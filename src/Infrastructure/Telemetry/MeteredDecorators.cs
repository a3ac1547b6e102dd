using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;
using LinkTracking.Infrastructure.Clicks;

namespace LinkTracking.Infrastructure.Telemetry;

/// <summary>Counts acknowledged clicks by category around whichever recorder is configured.</summary>
public sealed class MeteredClickRecorder(IClickRecorder inner, ServiceMetrics metrics) : IClickRecorder
{
    public async ValueTask RecordAsync(LinkClick click, CancellationToken cancellationToken)
    {
        await inner.RecordAsync(click, cancellationToken);
        metrics.ClickRecorded(click);
    }

    public bool TryAdmit(int count) => inner.TryAdmit(count);

    public async ValueTask RecordManyAsync(IReadOnlyList<LinkClick> clicks, CancellationToken cancellationToken)
    {
        await inner.RecordManyAsync(clicks, cancellationToken);
        metrics.ClicksRecorded(clicks);
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
}

/// <summary>Times each database write of a click batch, whichever provider writes it.</summary>
public sealed class MeteredClickBatchWriter(IClickBatchWriter inner, ServiceMetrics metrics) : IClickBatchWriter
{
    public async Task WriteAsync(IReadOnlyList<LinkClick> clicks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var succeeded = false;
        try
        {
            await inner.WriteAsync(clicks, cancellationToken);
            succeeded = true;
        }
        finally
        {
            metrics.DatabaseWrite(clicks.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started), succeeded);
        }
    }
}
