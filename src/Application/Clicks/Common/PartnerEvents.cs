using System.Collections.Concurrent;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;
using Microsoft.Extensions.Logging;

namespace LinkTracking.Application.Clicks.Common;

/// <summary>
/// Idempotent partner events: a click sent again with an <c>event_id</c> already recorded for its link is answered with
/// the click as first stored (same <c>click_id</c>, <c>clicked_at</c> and <c>click_source</c>), and not recorded again.
/// <para>
/// A first attempt may still be on its way to the database (fsync'd to the local journal, not yet moved), so the
/// database alone cannot say: this process remembers the events it recorded lately (in two generations of
/// <see cref="GenerationSize"/>, far more than the journal holds between two moves), and claims an event before
/// recording it, so that two concurrent attempts get one answer. What it does not remember it asks the database
/// (<see cref="IStoredClickEvents"/>), bounded by <see cref="LookupTimeout"/>: when the database is slow or down the
/// click is recorded as new — and the writers, which skip click ids already stored, still keep one click.
/// </para>
/// </summary>
public sealed partial class PartnerEvents(ILogger<PartnerEvents> logger)
{
    public const int GenerationSize = 100_000;

    public static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(1);

    private readonly Lock _swap = new();
    private ConcurrentDictionary<Guid, Claim> _current = new();
    private ConcurrentDictionary<Guid, Claim> _previous = new();
    private int _currentCount;

    /// <summary>
    /// Sorts <paramref name="clicks"/> (all with an event id) into the ones to record — claimed here, to be settled
    /// with <see cref="Settle"/> once recorded — and the ones already recorded, with the claim that answers them.
    /// </summary>
    public async Task<EventSort> SortAsync(IReadOnlyList<LinkClick> clicks, IStoredClickEvents stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        ArgumentNullException.ThrowIfNull(stored);
        var known = new Dictionary<LinkClick, Claim>(ReferenceEqualityComparer.Instance);
        var unknown = new List<LinkClick>();
        foreach (var click in clicks)
        {
            if (Find(click.Id) is { } claim)
            {
                known[click] = claim;
            }
            else
            {
                unknown.Add(click);
            }
        }

        var found = unknown.Count == 0 ? null : await LookUpAsync(unknown.Select(c => c.Id).Distinct().ToList(), stored, cancellationToken);
        var claimed = new List<Claim>();
        var toRecord = new List<LinkClick>(unknown.Count);
        foreach (var click in unknown)
        {
            if (found?.GetValueOrDefault(click.Id) is { } receipt)
            {
                known[click] = Remember(Claim.Stored(receipt));
                continue;
            }

            var mine = new Claim(new ClickReceipt(click.Id, click.TrackingId.Value, click.ClickedAt, click.ClickSource));
            var winner = Add(click.Id, mine);
            if (ReferenceEquals(winner, mine))
            {
                claimed.Add(mine);
                toRecord.Add(click);
            }
            else
            {
                known[click] = winner;
            }
        }

        return new EventSort(toRecord, claimed, known);
    }

    /// <summary>Completes the claims of <see cref="SortAsync"/>: recorded, or (on failure) forgotten so a retry records.</summary>
    public void Settle(EventSort sort, Exception? failure)
    {
        ArgumentNullException.ThrowIfNull(sort);
        foreach (var claim in sort.Claimed)
        {
            if (failure is null)
            {
                claim.Durable.TrySetResult();
            }
            else
            {
                Forget(claim);
                claim.Durable.TrySetException(failure);
            }
        }
    }

    private async Task<IReadOnlyDictionary<Guid, ClickReceipt>?> LookUpAsync(List<Guid> ids, IStoredClickEvents stored, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(LookupTimeout);
        try
        {
            return await stored.FindAsync(ids, timeout.Token);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogLookupFailed(e, ids.Count);
            return null;
        }
    }

    private Claim? Find(Guid id) =>
        _current.TryGetValue(id, out var claim) ? claim
        : _previous.TryGetValue(id, out claim) ? Add(id, claim)
        : null;

    private Claim Remember(Claim claim) => Add(claim.Receipt.ClickId, claim);

    /// <summary>Adds the claim unless the id has one; returns the claim that holds the id.</summary>
    private Claim Add(Guid id, Claim claim)
    {
        var current = _current;
        var winner = current.GetOrAdd(id, claim);
        if (!ReferenceEquals(winner, claim))
        {
            return winner;
        }

        if (_previous.TryGetValue(id, out var older) && !ReferenceEquals(older, claim))
        {
            current.TryUpdate(id, older, claim);
            return older;
        }

        if (Interlocked.Increment(ref _currentCount) >= GenerationSize)
        {
            lock (_swap)
            {
                if (Volatile.Read(ref _currentCount) >= GenerationSize)
                {
                    _previous = _current;
                    _current = new ConcurrentDictionary<Guid, Claim>();
                    Volatile.Write(ref _currentCount, 0);
                }
            }
        }

        return claim;
    }

    private void Forget(Claim claim)
    {
        _current.TryRemove(new KeyValuePair<Guid, Claim>(claim.Receipt.ClickId, claim));
        _previous.TryRemove(new KeyValuePair<Guid, Claim>(claim.Receipt.ClickId, claim));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking up {Count} partner event ids in the database failed; they are recorded as new (stored once all the same)")]
    private partial void LogLookupFailed(Exception exception, int count);
}

/// <summary>An event's first recording: its answer, and a task that completes once it is durable.</summary>
public sealed class Claim(ClickReceipt receipt)
{
    public ClickReceipt Receipt { get; } = receipt;

    public TaskCompletionSource Durable { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static Claim Stored(ClickReceipt receipt)
    {
        var claim = new Claim(receipt);
        claim.Durable.SetResult();
        return claim;
    }
}

/// <summary>The outcome of <see cref="PartnerEvents.SortAsync"/>.</summary>
public sealed record EventSort(IReadOnlyList<LinkClick> ToRecord, IReadOnlyList<Claim> Claimed, IReadOnlyDictionary<LinkClick, Claim> Known);
