using LinkTracking.Domain.Clicks;

namespace LinkTracking.Application.Common.Interfaces;

/// <summary>
/// Stores clicks. The returned task completes only when the click is durable (committed to the database or
/// fsync'd to the local journal), so a caller that acknowledges afterwards never loses an acknowledged click.
/// A click whose id is already stored is not stored again.
/// </summary>
public interface IClickRecorder
{
    ValueTask RecordAsync(LinkClick click, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <paramref name="count"/> clicks whose sender can retry (a partner's) may be taken now. False while the
    /// local spool is over its disk budget: the caller answers 503 with <c>Retry-After</c> rather than accept clicks it
    /// might not keep. Each refusal is counted. Redirects do not ask: a browser cannot retry.
    /// </summary>
    bool TryAdmit(int count);

    ValueTask RecordManyAsync(IReadOnlyList<LinkClick> clicks, CancellationToken cancellationToken);

    /// <summary>
    /// Makes every click recorded before the call visible to queries (a durable click may still be on its way from the
    /// local journal to the database). Best effort: when the database is unreachable it returns without them.
    /// </summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);
}
