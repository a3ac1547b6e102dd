namespace LinkTracking.Application.Common.Interfaces;

/// <summary>
/// How many human clicks a link has, for <c>max_human_clicks</c>. Cheap enough to ask on every redirect of a limited
/// link: answered from memory, refreshed from the database now and then (see ADR 0014 for how exact it is).
/// </summary>
public interface IHumanClickCounts
{
    /// <summary>The link's human clicks as far as this instance knows.</summary>
    ValueTask<long> GetAsync(string trackingId, CancellationToken cancellationToken);

    /// <summary>Counts a human click this instance just recorded, before the database has it.</summary>
    void NoteHumanClick(string trackingId);
}
