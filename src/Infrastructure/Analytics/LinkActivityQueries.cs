using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.Analytics;

/// <summary>
/// The browsing lists as LINQ both providers translate (GROUP BY with HAVING, COUNT(DISTINCT)). Each list is cut
/// at its limit in SQL; click figures are then read for the listed jobs or applications only. Each read is bounded
/// by <c>Database:QueryTimeout</c> (<see cref="BoundedReads"/>).
/// </summary>
public sealed class LinkActivityQueries(LinkTrackingDbContext db, BoundedReads reads) : ILinkActivityQueries
{
    public Task<IReadOnlyList<JobActivity>> GetJobActivityAsync(int limit, CancellationToken cancellationToken) =>
        reads.RunAsync(ct => JobActivityAsync(limit, ct), cancellationToken);

    public Task<IReadOnlyList<ApplicationActivity>> GetApplicationActivityAsync(Guid? jobId, DateTime? firstHumanClickFrom, int limit, CancellationToken cancellationToken) =>
        reads.RunAsync(ct => ApplicationActivityAsync(jobId, firstHumanClickFrom, limit, ct), cancellationToken);

    public Task<IReadOnlyList<DailyCategoryClicks>> GetDailyClicksByCategoryAsync(DateTime from, CancellationToken cancellationToken) =>
        reads.RunAsync(ct => DailyClicksByCategoryAsync(from, ct), cancellationToken);

    private async Task<IReadOnlyList<JobActivity>> JobActivityAsync(int limit, CancellationToken cancellationToken)
    {
        var jobs = await Links()
            .Where(l => l.JobId != null)
            .GroupBy(l => l.JobId)
            .Select(g => new
            {
                JobId = g.Key!.Value,
                Applications = g.Where(l => l.ApplicationId != null).Select(l => l.ApplicationId).Distinct().Count(),
                Links = g.Count(),
                Newest = g.Max(l => l.CreatedAt),
            })
            .OrderByDescending(j => j.Newest)
            .ThenBy(j => j.JobId)
            .Take(limit)
            .ToListAsync(cancellationToken);

        var ids = jobs.Select(j => (Guid?)j.JobId).ToList();
        var clicks = await (
                from c in db.Clicks.AsNoTracking()
                where !c.IsBot
                join l in Links() on c.TrackingId equals l.TrackingId
                where ids.Contains(l.JobId)
                group c by l.JobId into g
                select new { JobId = g.Key!.Value, Clicks = g.Count(), Last = g.Max(c => (DateTime?)c.ClickedAt) })
            .ToDictionaryAsync(r => r.JobId, cancellationToken);

        return jobs
            .Select(j => clicks.TryGetValue(j.JobId, out var c)
                ? new JobActivity(j.JobId, j.Applications, j.Links, c.Clicks, AsUtc(c.Last))
                : new JobActivity(j.JobId, j.Applications, j.Links, 0, null))
            .ToList();
    }

    private async Task<IReadOnlyList<ApplicationActivity>> ApplicationActivityAsync(Guid? jobId, DateTime? firstHumanClickFrom, int limit, CancellationToken cancellationToken)
    {
        var links = Links().Where(l => l.ApplicationId != null);
        if (jobId is { } job)
        {
            links = links.Where(l => l.JobId == job);
        }

        var humanClicks =
            from c in db.Clicks.AsNoTracking()
            where !c.IsBot
            join l in links on c.TrackingId equals l.TrackingId
            group c by new { l.ApplicationId, l.JobId } into g
            select new
            {
                ApplicationId = g.Key.ApplicationId!.Value,
                g.Key.JobId,
                Clicks = g.Count(),
                First = g.Min(c => (DateTime?)c.ClickedAt),
                Last = g.Max(c => (DateTime?)c.ClickedAt),
            };

        if (firstHumanClickFrom is { } since)
        {
            var firstClicked = await humanClicks
                .Where(a => a.First >= since)
                .OrderByDescending(a => a.First)
                .ThenBy(a => a.ApplicationId)
                .Take(limit)
                .ToListAsync(cancellationToken);
            var clickedIds = firstClicked.Select(a => (Guid?)a.ApplicationId).Distinct().ToList();
            var linkCounts = await LinkCounts(links.Where(l => clickedIds.Contains(l.ApplicationId)))
                .ToDictionaryAsync(l => (l.ApplicationId, l.JobId), l => l.Links, cancellationToken);
            return firstClicked
                .Select(a => new ApplicationActivity(a.ApplicationId, a.JobId, linkCounts.GetValueOrDefault((a.ApplicationId, a.JobId)), a.Clicks, AsUtc(a.First), AsUtc(a.Last)))
                .ToList();
        }

        var applications = await LinkCounts(links)
            .OrderByDescending(a => a.Newest)
            .ThenBy(a => a.ApplicationId)
            .Take(limit)
            .ToListAsync(cancellationToken);
        var ids = applications.Select(a => a.ApplicationId).Distinct().ToList();
        var clicks = await humanClicks
            .Where(a => ids.Contains(a.ApplicationId))
            .ToDictionaryAsync(a => (a.ApplicationId, a.JobId), cancellationToken);
        return applications
            .Select(a => clicks.TryGetValue((a.ApplicationId, a.JobId), out var c)
                ? new ApplicationActivity(a.ApplicationId, a.JobId, a.Links, c.Clicks, AsUtc(c.First), AsUtc(c.Last))
                : new ApplicationActivity(a.ApplicationId, a.JobId, a.Links, 0, null, null))
            .ToList();
    }

    private static IQueryable<ApplicationLinks> LinkCounts(IQueryable<TrackedLink> links) =>
        links
            .GroupBy(l => new { l.ApplicationId, l.JobId })
            .Select(g => new ApplicationLinks
            {
                ApplicationId = g.Key.ApplicationId!.Value,
                JobId = g.Key.JobId,
                Links = g.Count(),
                Newest = g.Max(l => l.CreatedAt),
            });

    private async Task<IReadOnlyList<DailyCategoryClicks>> DailyClicksByCategoryAsync(DateTime start, CancellationToken cancellationToken)
    {
        var rows = await (
                from c in db.Clicks.AsNoTracking()
                where c.ClickedAt >= start
                join l in Links() on c.TrackingId equals l.TrackingId
                group c by new { c.ClickedAt.Date, c.BotCategory } into g
                select new { g.Key.Date, g.Key.BotCategory, Clicks = g.Count() })
            .ToListAsync(cancellationToken);
        return rows
            .Select(r => new DailyCategoryClicks(DateOnly.FromDateTime(r.Date), r.BotCategory, r.Clicks))
            .OrderBy(r => r.Date)
            .ThenBy(r => r.Category)
            .ToList();
    }

    /// <summary>Every link but decoys, as every scope of <see cref="LinkAnalyticsQueries"/> counts them.</summary>
    private IQueryable<TrackedLink> Links() => db.Links.AsNoTracking().Where(l => l.LinkFunction != LinkFunction.Decoy);

    private static DateTime? AsUtc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;

    /// <summary>A class with setters, not a positional record: EF translates ordering by its members.</summary>
    private sealed class ApplicationLinks
    {
        public Guid ApplicationId { get; init; }

        public Guid? JobId { get; init; }

        public int Links { get; init; }

        public DateTime Newest { get; init; }
    }
}
