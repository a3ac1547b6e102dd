using LinkTracking.Domain.Clicks;

namespace LinkTracking.Infrastructure.Clicks;

/// <summary>
/// Writes a batch of clicks in one transaction. Clicks whose id (or link and event id) is already stored are
/// skipped, so a batch can be written twice — after a timeout, or from the spool — without duplicates.
/// </summary>
public interface IClickBatchWriter
{
    Task WriteAsync(IReadOnlyList<LinkClick> clicks, CancellationToken cancellationToken);
}
