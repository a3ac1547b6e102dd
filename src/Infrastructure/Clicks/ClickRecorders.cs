using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Clicks;

/// <summary>The recorder for a durability mode and the mover it works with, built together (DI, tests).</summary>
public sealed record ClickPipelineParts(ClickRecorder Recorder, ClickSpoolMover Mover, ClickPipelineMetrics Metrics);

public static class ClickRecorders
{
    /// <summary>
    /// The recorder of <see cref="ClickPipelineOptions.Durability"/> (<see cref="JournalClickRecorder"/> or
    /// <see cref="DatabaseClickRecorder"/>) over <paramref name="spool"/>, and the <see cref="ClickSpoolMover"/> that copies
    /// that spool into the database. Start the mover first and stop it last (the host stops services in reverse order
    /// of registration): the recorder's last journal batch is then moved before the process ends.
    /// </summary>
    public static ClickPipelineParts Create(
        IClickBatchWriter writer,
        ClickSpool spool,
        IOptions<ClickPipelineOptions> options,
        IMeterFactory meterFactory,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var metrics = new ClickPipelineMetrics(meterFactory, spool);
        var mover = new ClickSpoolMover(writer, spool, options, metrics, loggerFactory.CreateLogger<ClickSpoolMover>());
        ClickRecorder recorder = options.Value.Durability == ClickDurability.Journal
            ? new JournalClickRecorder(spool, mover, options.Value, metrics, loggerFactory.CreateLogger<JournalClickRecorder>())
            : new DatabaseClickRecorder(writer, spool, mover, options.Value, metrics, loggerFactory.CreateLogger<DatabaseClickRecorder>());
        return new ClickPipelineParts(recorder, mover, metrics);
    }
}
