using LinkTracking.Domain.Clicks;

namespace LinkTracking.Application.Common.Interfaces;

/// <summary>
/// Read-side lists for browsing: which jobs and applications have links and how much human traffic they had, and
/// all traffic per day and category. Decoy links are left out, as in <see cref="ILinkAnalyticsQueries"/>. Times are UTC.
/// </summary>
public interface ILinkActivityQueries
{
    /// <summary>Jobs with links, the most recently created links first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<JobActivity>> GetJobActivityAsync(int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Applications with links (of one job when <paramref name="jobId"/> is set), at most <paramref name="limit"/>:
    /// with <paramref name="firstHumanClickFrom"/>, only those whose first human click came on or after it (newest
    /// first click first); otherwise the most recently created links first.
    /// </summary>
    Task<IReadOnlyList<ApplicationActivity>> GetApplicationActivityAsync(Guid? jobId, DateTime? firstHumanClickFrom, int limit, CancellationToken cancellationToken);

    /// <summary>Every click since <paramref name="from"/>, bots included, per UTC day and category.</summary>
    Task<IReadOnlyList<DailyCategoryClicks>> GetDailyClicksByCategoryAsync(DateTime from, CancellationToken cancellationToken);
}

public sealed record JobActivity(Guid JobId, int Applications, int Links, int HumanClicks, DateTime? LastHumanClick);

public sealed record ApplicationActivity(Guid ApplicationId, Guid? JobId, int Links, int HumanClicks, DateTime? FirstHumanClick, DateTime? LastHumanClick);

public sealed record DailyCategoryClicks(DateOnly Date, BotCategory Category, int Clicks);
