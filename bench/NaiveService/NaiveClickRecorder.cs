using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;
using LinkTracking.Infrastructure.Clicks;

namespace NaiveService;

/// <summary>One awaited INSERT per click, no batching, no journal: the design the pipeline is measured against.</summary>
public sealed class NaiveClickRecorder(IClickBatchWriter writer) : IClickRecorder
{
    public ValueTask RecordAsync(LinkClick click, CancellationToken cancellationToken) =>
        new(writer.WriteAsync([click], cancellationToken));

    public ValueTask RecordManyAsync(IReadOnlyList<LinkClick> clicks, CancellationToken cancellationToken) =>
        new(writer.WriteAsync(clicks, cancellationToken));

    public bool TryAdmit(int count) => true;

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
