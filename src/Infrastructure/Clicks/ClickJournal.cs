using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Infrastructure.Clicks;

/// <summary>
/// Group commit onto the local spool (ADR 0005, <see cref="ClickDurability.Journal"/>). Requests add their clicks to
/// the open batch and wait on that batch's one completion; a dedicated thread (not a thread-pool worker: an fsync
/// blocks it) takes the whole batch, appends it with one write and one fsync, and completes it. Clicks that arrive
/// during an fsync form the next batch, so the batch grows with the load and the fsync rate stays flat. Optionally a
/// small batch waits a moment (the linger) for company; off by default, since it measured no gain.
/// </summary>
public sealed class ClickJournal : IDisposable
{
    private readonly ClickSpool _spool;
    private readonly int _capacity;
    private readonly TimeSpan _linger;
    private readonly Lock _gate = new();
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly Thread _thread;
    /// <summary>A batch this large is written at once, without <see cref="_linger"/>.</summary>
    public const int FullEnoughBatch = 64;

    private Batch _open = new();
    private bool _writerWaiting;
    private bool _closed;
    private long _fsyncs;

    /// <param name="spool">Where batches are appended and fsync'd.</param>
    /// <param name="capacity">Clicks the open batch may hold before callers append their own.</param>
    /// <param name="linger">
    /// How long the thread waits, once, for more clicks when fewer than <see cref="FullEnoughBatch"/> are waiting:
    /// fewer, larger fsyncs for a little latency. Zero (the default of <see cref="ClickPipelineOptions.JournalLinger"/>): none.
    /// </param>
    public ClickJournal(ClickSpool spool, int capacity, TimeSpan linger)
    {
        ArgumentNullException.ThrowIfNull(spool);
        _spool = spool;
        _capacity = Math.Max(1, capacity);
        _linger = linger;
        _thread = new Thread(Run) { IsBackground = true, Name = "Click journal" };
        _thread.Start();
    }

    /// <summary>Raised with the number of clicks each time some are durable: a batch on the journal thread, or a caller's
    /// own clicks when the batch was full. The pipeline counts them (metric <c>linktracking.clicks.spooled</c>).</summary>
    public event Action<int>? Appended;

    /// <summary>Batches written (one fsync each) since start.</summary>
    public long Fsyncs => Interlocked.Read(ref _fsyncs);

    /// <summary>Clicks waiting for the next fsync.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _open.Clicks.Count;
            }
        }
    }

    /// <summary>
    /// Completes when the clicks are fsync'd to the spool. When the open batch is already full (the disk cannot keep
    /// up) or the journal is closed, the caller appends and fsyncs them itself rather than grow memory.
    /// </summary>
    public Task AppendAsync(LinkClick click) => Append(click, null);

    /// <inheritdoc cref="AppendAsync(LinkClick)"/>
    public Task AppendAsync(IReadOnlyList<LinkClick> clicks) => Append(null, clicks);

    private Task Append(LinkClick? click, IReadOnlyList<LinkClick>? clicks)
    {
        lock (_gate)
        {
            if (!_closed && _open.Clicks.Count < _capacity)
            {
                _open.Add(click, clicks);
                if (_writerWaiting)
                {
                    _writerWaiting = false;
                    _wake.Set();
                }

                return _open.Completion.Task;
            }
        }

        IReadOnlyList<LinkClick> spilled = clicks ?? [click!];
        _spool.Append(spilled);
        Appended?.Invoke(spilled.Count);
        return Task.CompletedTask;
    }

    /// <summary>Completes when every click added before the call is durable.</summary>
    public Task FlushAsync()
    {
        lock (_gate)
        {
            return _open.Clicks.Count == 0 ? Task.CompletedTask : _open.Completion.Task;
        }
    }

    /// <summary>Writes what is open, then stops the thread. Later appends are written by their callers.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            _wake.Set();
        }

        _thread.Join();
        _wake.Dispose();
    }

    private void Run()
    {
        var lingered = false;
        while (true)
        {
            Batch? batch = null;
            if (_linger > TimeSpan.Zero && !lingered && Pending is > 0 and < FullEnoughBatch)
            {
                lingered = true;
                ShortSleep.For(_linger);
                continue;
            }

            lingered = false;
            lock (_gate)
            {
                if (_open.Clicks.Count == 0)
                {
                    if (_closed)
                    {
                        return;
                    }

                    _writerWaiting = true;
                    _wake.Reset();
                }
                else
                {
                    batch = _open;
                    _open = new Batch();
                }
            }

            if (batch is null)
            {
                _wake.Wait();
                continue;
            }

            try
            {
                _spool.Append(batch.Clicks);
                Interlocked.Increment(ref _fsyncs);
                batch.Completion.TrySetResult();
                Appended?.Invoke(batch.Clicks.Count);
            }
            catch (Exception ex)
            {
                // The disk refused: these requests are not acknowledged (they answer 503), nothing is half-promised.
                batch.Completion.TrySetException(new ClickNotDurableException("The click could not be stored durably.", ex));
            }
        }
    }

    private sealed class Batch
    {
        public List<LinkClick> Clicks { get; } = new(64);

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Add(LinkClick? click, IReadOnlyList<LinkClick>? clicks)
        {
            if (clicks is null)
            {
                Clicks.Add(click!);
            }
            else
            {
                Clicks.AddRange(clicks);
            }
        }
    }
}
