using LinkTracking.Domain.Links;

namespace LinkTracking.Application.Common.Interfaces;

/// <summary>The history of links' settings: what changed, when, with which key.</summary>
public interface ILinkChangeLog
{
    /// <summary>Adds changes to the unit of work; saved with the link they belong to.</summary>
    void AddRange(IEnumerable<LinkChange> changes);

    /// <summary>A link's changes, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<LinkChange>> ListAsync(Guid linkId, int limit, CancellationToken cancellationToken);
}
