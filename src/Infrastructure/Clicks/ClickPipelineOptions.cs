using System.ComponentModel.DataAnnotations;
using LinkTracking.Application.Common.Options;

namespace LinkTracking.Infrastructure.Clicks;

/// <summary>What "durable" means before a click is acknowledged (ADR 0005); each has its recorder, chosen in DI.</summary>
public enum ClickDurability
{
    /// <summary>fsync'd to the local spool by the journal thread (<see cref="JournalClickRecorder"/>); the mover copies it
    /// into the database in large batches.</summary>
    Journal,

    /// <summary>Committed to the database by the batch writers (<see cref="DatabaseClickRecorder"/>); the spool only takes
    /// batches the database refused.</summary>
    Database,
}

/// <summary>
/// Configuration section <c>ClickPipeline</c>. Defaults are the measured ones (bench/RESULTS.md); values the pipeline
/// cannot run with are refused at start-up (<see cref="ClickPipelineOptionsValidator"/>).
/// </summary>
public sealed class ClickPipelineOptions
{
    public const string SectionName = "ClickPipeline";

    /// <summary>Where a click must be before its request is answered; see <see cref="ClickDurability"/>.</summary>
    [EnumDataType(typeof(ClickDurability), ErrorMessage = "ClickPipeline:Durability must be Journal or Database.")]
    public ClickDurability Durability { get; set; } = ClickDurability.Journal;

    /// <summary>
    /// With <see cref="ClickDurability.Journal"/>: when fewer than <see cref="ClickJournal.FullEnoughBatch"/> clicks are
    /// waiting, the journal thread waits this long once for more before it fsyncs. Zero (measured: 200 µs and 1 ms
    /// gained nothing, bench/RESULTS.md): fsync at once; clicks arriving during an fsync still share the next one.
    /// </summary>
    [NonNegativeDuration(ErrorMessage = "ClickPipeline:JournalLinger must not be negative (0: fsync at once).")]
    public TimeSpan JournalLinger { get; set; } = TimeSpan.Zero;

    /// <summary>With <see cref="ClickDurability.Journal"/>: how often the mover copies the spool into the database.</summary>
    [PositiveDuration(ErrorMessage = "ClickPipeline:MoveInterval must be longer than zero and at most {2}.")]
    public TimeSpan MoveInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Most clicks one commit carries.</summary>
    [Between(1, int.MaxValue, ErrorMessage = "ClickPipeline:MaxBatchSize must be at least {1}.")]
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>
    /// How long the writer waits for more clicks before committing a batch that is not full. Zero: commit at
    /// once; clicks that arrive during a commit form the next batch (natural group commit).
    /// </summary>
    [NonNegativeDuration(ErrorMessage = "ClickPipeline:MaxBatchDelay must not be negative (0: commit at once).")]
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Concurrent batch writers draining the channel.</summary>
    [Between(1, int.MaxValue, ErrorMessage = "ClickPipeline:Writers must be at least {1}.")]
    public int Writers { get; set; } = 2;

    /// <summary>Clicks waiting for a writer (or for the journal's next fsync); beyond this, requests append to the spool
    /// themselves instead of growing memory.</summary>
    [Between(1, int.MaxValue, ErrorMessage = "ClickPipeline:ChannelCapacity must be at least {1}.")]
    public int ChannelCapacity { get; set; } = 20_000;

    /// <summary>Where the durable local spool lives.</summary>
    [Required(ErrorMessage = "ClickPipeline:SpoolDirectory must be set.")]
    public string SpoolDirectory { get; set; } = "./data/spool";

    /// <summary>A database write slower than this is abandoned and the batch goes to the spool.</summary>
    [PositiveDuration("12.00:00:00", ErrorMessage = "ClickPipeline:WriteTimeout must be longer than zero and at most {2}.")]
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often the spool mover checks for spooled clicks and for the database coming back.</summary>
    [PositiveDuration(ErrorMessage = "ClickPipeline:ReplayInterval must be longer than zero and at most {2}.")]
    public TimeSpan ReplayInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Clicks per database write when the spool is replayed; also the most the mover holds in memory.</summary>
    [Between(1, int.MaxValue, ErrorMessage = "ClickPipeline:ReplayBatchSize must be at least {1}.")]
    public int ReplayBatchSize { get; set; } = 5000;

    /// <summary>A spool segment is sealed once it holds this many bytes (and at each move), so a backlog is many small files.</summary>
    [Between(typeof(long), "1", "9223372036854775807", ErrorMessage = "ClickPipeline:MaxSegmentBytes must be at least {1}.")]
    public long MaxSegmentBytes { get; set; } = ClickSpool.DefaultMaxSegmentBytes;

    /// <summary>
    /// The spool's disk budget. Beyond it partner clicks (<c>record-click(s)</c>) are refused with 503 and
    /// <c>Retry-After</c> — their senders retry — while redirects keep recording, and the health check says why.
    /// 0: no budget.
    /// </summary>
    [Between(typeof(long), "0", "9223372036854775807", ErrorMessage = "ClickPipeline:MaxSpoolBytes must not be negative (0: no budget).")]
    public long MaxSpoolBytes { get; set; } = 2L * 1024 * 1024 * 1024;
}
