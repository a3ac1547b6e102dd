namespace LinkTracking.Application.Common.Interfaces;

/// <summary>
/// How far this node's click pipeline is behind: the bytes in its local spool not yet copied into the database, and
/// the age of the oldest such click (the mover's lag). The same figures as the <c>click_queue</c> health check and
/// the <c>linktracking.clicks.spool_bytes</c> / <c>backlog_age</c> metrics.
/// </summary>
public interface IClickPipelineBacklog
{
    ClickPipelineBacklog Read();
}

/// <summary>A reading of <see cref="IClickPipelineBacklog"/>.</summary>
public sealed record ClickPipelineBacklog(long SpoolBytes, TimeSpan OldestUnmovedAge);
