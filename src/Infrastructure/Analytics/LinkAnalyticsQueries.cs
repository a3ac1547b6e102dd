using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.Analytics;

/// <summary>
/// Analytics as LINQ that both providers translate to SQL (GROUP BY, COUNT(DISTINCT)); every filter runs on
/// an index of <c>link_clicks</c> (<c>tracking_id, clicked_at</c> or <c>clicked_at</c>) or <c>link_tracking</c>.
/// Each read is bounded by <c>Database:QueryTimeout</c> (<see cref="BoundedReads"/>).
/// </summary>
public sealed class LinkAnalyticsQueries(LinkTrackingDbContext db, BoundedReads reads) : ILinkAnalyticsQueries
{
    public Task<LinkClickTotals> GetLinkTotalsAsync(string trackingId, DateTime from, DateTime now, bool includeBots, CancellationToken cancellationToken) =>
        reads.RunAsync(ct => LinkTotalsAsync(trackingId, from, now, includeBots, ct), cancellationToken);

    public Task<IReadOnlyList<DailyClicks>> GetDailyClicksAsync(LinkScope scope, DateTime from, bool includeBots, CancellationToken cancellationToken) =>
        reads.RunAsync(ct => DailyClicksAsync(scope, from, includeBots, ct), cancellationToken);

    public Task<IReadOnlyList<RecentClick>> GetRecentClicksAsync(string trackingId, int count, bool includeBots, CancellationToken cancellationToken) =>
        reads.RunAsync(ct => RecentClicksAsync(trackingId, count, includeBots, ct), cancellationToken);

    public Task<IReadOnlyList<FunctionClicks>> GetFunctionClicksAsync(LinkScope scope, DateTime? from, bool includeBots, CancellationToken cancellationToken) =>
        reads.RunAsync(ct => FunctionClicksAsync(scope, from, includeBots, ct), cancellationToken);

    public Task<IReadOnlyDictionary<string, int>> GetClicksByCategoryAsync(LinkScope scope, DateTime? from, CancellationToken cancellationToken) =>
        reads.RunAsync(ct => ClicksByCategoryAsync(scope, from, ct), cancellationToken);

    public Task<ScopeTotals> GetScopeTotalsAsync(LinkScope scope, DateTime? from, bool includeBots, CancellationToken cancellationToken) =>
        reads.RunAsync(ct => ScopeTotalsAsync(scope, from, includeBots, ct), cancellationToken);

    private async Task<LinkClickTotals> LinkTotalsAsync(string trackingId, DateTime from, DateTime now, bool includeBots, CancellationToken cancellationToken)
    {
        var id = TrackingId.Parse(trackingId);
        var linkClicks = db.Clicks.AsNoTracking().Where(c => c.TrackingId == id);
        var inPeriod = Counted(linkClicks.Where(c => c.ClickedAt >= from), includeBots);

        var total = await inPeriod.CountAsync(cancellationToken);
        var sessions = await inPeriod.Where(c => c.SessionId != null).Select(c => c.SessionId).Distinct().CountAsync(cancellationToken);
        var ips = await inPeriod.Where(c => c.IpAddress != null).Select(c => c.IpAddress).Distinct().CountAsync(cancellationToken);
        var bots = await linkClicks.Where(c => c.ClickedAt >= from && c.IsBot).CountAsync(cancellationToken);
        var since24H = now.AddHours(-24);
        var since7D = now.AddDays(-7);
        var clicks24H = await Counted(linkClicks.Where(c => c.ClickedAt >= since24H), includeBots).CountAsync(cancellationToken);
        var clicks7D = await Counted(linkClicks.Where(c => c.ClickedAt >= since7D), includeBots).CountAsync(cancellationToken);
        var first = await inPeriod.MinAsync(c => (DateTime?)c.ClickedAt, cancellationToken);
        var last = await inPeriod.MaxAsync(c => (DateTime?)c.ClickedAt, cancellationToken);
        var bySource = await inPeriod
            .GroupBy(c => c.ClickSource)
            .Select(g => new { Source = g.Key, Clicks = g.Count() })
            .ToListAsync(cancellationToken);

        return new LinkClickTotals(
            total,
            sessions,
            ips,
            bots,
            clicks24H,
            clicks7D,
            AsUtc(first),
            AsUtc(last),
            bySource.OrderByDescending(s => s.Clicks).ThenBy(s => s.Source, StringComparer.Ordinal)
                .ToDictionary(s => s.Source, s => s.Clicks, StringComparer.Ordinal));
    }

    private async Task<IReadOnlyList<DailyClicks>> DailyClicksAsync(LinkScope scope, DateTime from, bool includeBots, CancellationToken cancellationToken)
    {
        var rows = await Counted(ClicksIn(scope).Where(c => c.ClickedAt >= from), includeBots)
            .GroupBy(c => c.ClickedAt.Date)
            .Select(g => new
            {
                Day = g.Key,
                Clicks = g.Count(),
                Sessions = g.Select(c => c.SessionId).Distinct().Count(),
            })
            .ToListAsync(cancellationToken);
        return rows
            .Select(r => new DailyClicks(DateOnly.FromDateTime(r.Day), r.Clicks, r.Sessions))
            .OrderBy(d => d.Date)
            .ToList();
    }

    private async Task<IReadOnlyList<RecentClick>> RecentClicksAsync(string trackingId, int count, bool includeBots, CancellationToken cancellationToken)
    {
        var id = TrackingId.Parse(trackingId);
        var rows = await Counted(db.Clicks.AsNoTracking().Where(c => c.TrackingId == id), includeBots)
            .OrderByDescending(c => c.ClickedAt)
            .ThenByDescending(c => c.Id)
            .Take(count)
            .Select(c => new { c.ClickedAt, c.ClickSource, c.IpAddress, c.BotCategory, c.Signals })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new RecentClick(AsUtc(r.ClickedAt), r.ClickSource, r.IpAddress, r.BotCategory, r.Signals)).ToList();
    }

    private async Task<IReadOnlyDictionary<string, int>> ClicksByCategoryAsync(LinkScope scope, DateTime? from, CancellationToken cancellationToken)
    {
        var clicks = ClicksIn(scope);
        if (from is { } start)
        {
            clicks = clicks.Where(c => c.ClickedAt >= start);
        }

        var rows = await clicks
            .GroupBy(c => c.BotCategory)
            .Select(g => new { Category = g.Key, Clicks = g.Count() })
            .ToListAsync(cancellationToken);
        var counts = rows.ToDictionary(r => r.Category, r => r.Clicks);
        return BotCategories.All.ToDictionary(c => c.Name(), c => counts.GetValueOrDefault(c), StringComparer.Ordinal);
    }

    private async Task<IReadOnlyList<FunctionClicks>> FunctionClicksAsync(LinkScope scope, DateTime? from, bool includeBots, CancellationToken cancellationToken)
    {
        var links = await LinksIn(scope)
            .GroupBy(l => l.LinkFunction)
            .Select(g => new { Function = g.Key, Links = g.Count() })
            .ToListAsync(cancellationToken);

        var clicks = ClicksIn(scope);
        if (from is { } start)
        {
            clicks = clicks.Where(c => c.ClickedAt >= start);
        }

        var clickRows = await (
                from c in Counted(clicks, includeBots)
                join l in db.Links on c.TrackingId equals l.TrackingId
                group c by l.LinkFunction into g
                select new
                {
                    Function = g.Key,
                    Clicks = g.Count(),
                    Sessions = g.Select(c => c.SessionId).Distinct().Count(),
                    LastClick = g.Max(c => (DateTime?)c.ClickedAt),
                })
            .ToListAsync(cancellationToken);
        var clicksByFunction = clickRows.ToDictionary(r => r.Function, StringComparer.Ordinal);

        return links
            .Select(l => clicksByFunction.TryGetValue(l.Function, out var c)
                ? new FunctionClicks(l.Function, l.Links, c.Clicks, c.Sessions, AsUtc(c.LastClick))
                : new FunctionClicks(l.Function, l.Links, 0, 0, null))
            .ToList();
    }

    private async Task<ScopeTotals> ScopeTotalsAsync(LinkScope scope, DateTime? from, bool includeBots, CancellationToken cancellationToken)
    {
        var links = LinksIn(scope);
        var totalLinks = await links.CountAsync(cancellationToken);
        var activeLinks = await links.CountAsync(l => l.IsActive, cancellationToken);
        var jobs = await links.Where(l => l.JobId != null).Select(l => l.JobId).Distinct().CountAsync(cancellationToken);
        var applications = await links.Where(l => l.ApplicationId != null).Select(l => l.ApplicationId).Distinct().CountAsync(cancellationToken);

        var clicks = ClicksIn(scope);
        if (from is { } start)
        {
            clicks = clicks.Where(c => c.ClickedAt >= start);
        }

        clicks = Counted(clicks, includeBots);
        var totalClicks = await clicks.CountAsync(cancellationToken);
        var sessions = await clicks.Where(c => c.SessionId != null).Select(c => c.SessionId).Distinct().CountAsync(cancellationToken);
        var linksClicked = await clicks.Select(c => c.TrackingId).Distinct().CountAsync(cancellationToken);
        return new ScopeTotals(totalLinks, activeLinks, jobs, applications, totalClicks, sessions, linksClicked);
    }

    private static IQueryable<LinkClick> Counted(IQueryable<LinkClick> clicks, bool includeBots) =>
        includeBots ? clicks : clicks.Where(c => !c.IsBot);

    private IQueryable<TrackedLink> LinksIn(LinkScope scope)
    {
        var links = db.Links.AsNoTracking();
        if (scope.TrackingId is { } trackingId)
        {
            var id = TrackingId.Parse(trackingId);
            return links.Where(l => l.TrackingId == id);
        }

        // The decoy is left out of every count but its own.
        links = links.Where(l => l.LinkFunction != LinkFunction.Decoy);

        if (scope.JobId is { } jobId)
        {
            links = links.Where(l => l.JobId == jobId);
        }

        if (scope.ApplicationId is { } applicationId)
        {
            links = links.Where(l => l.ApplicationId == applicationId);
        }

        return links;
    }

    private IQueryable<LinkClick> ClicksIn(LinkScope scope)
    {
        var clicks = db.Clicks.AsNoTracking();
        if (scope.TrackingId is { } trackingId)
        {
            var id = TrackingId.Parse(trackingId);
            return clicks.Where(c => c.TrackingId == id);
        }

        var links = LinksIn(scope);
        return from c in clicks
               join l in links on c.TrackingId equals l.TrackingId
               select c;
    }

    private static DateTime? AsUtc(DateTime? value) => value is { } v ? AsUtc(v) : null;

    private static DateTime AsUtc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
