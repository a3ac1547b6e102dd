using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Outcomes;
using LinkTracking.Infrastructure.Analytics;
using LinkTracking.Infrastructure.Analytics.Rollups;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.Outcomes;

/// <summary>
/// The funnel's facts as two grouped reads, each answering a handful of rows: a link was fetched when it has a row in
/// the links' totals (<see cref="ClickLinkTotal"/>), opened by a person when that row has human clicks; an application
/// reached a stage when it has an outcome of that stage or a later one. Both are joined (hash joins over the scope's
/// links, the totals and the outcomes grouped per application), never probed per link or application and never read
/// from the raw clicks. Both providers translate the LINQ; each read is bounded by <see cref="BoundedReads"/>. On
/// PostgreSQL the funnel of all applications (the report's) is read from counts kept incrementally instead
/// (<see cref="PostgresOutcomeFunnelQueries"/>, ADR 0027); this class answers the rest.
/// </summary>
public sealed class OutcomeFunnelQueries(LinkTrackingDbContext db, BoundedReads reads) : IOutcomeFunnelQueries
{
    public Task<OutcomeFunnelFacts> GetAsync(LinkScope scope, DateTime? sentFrom, CancellationToken cancellationToken) =>
        reads.RunAsync(ct => FactsAsync(scope, sentFrom, ct), cancellationToken);

    private async Task<OutcomeFunnelFacts> FactsAsync(LinkScope scope, DateTime? sentFrom, CancellationToken cancellationToken)
    {
        if (scope.TrackingId is not null)
        {
            throw new ArgumentException("A funnel covers applications: a job's, one application's or all.", nameof(scope));
        }

        var replied = OutcomeStage.ReachedReply.ToList();
        var interview = OutcomeStage.ReachedInterview.ToList();
        var offer = OutcomeStage.ReachedOffer.ToList();

        var links = ScopedLinks.In(db.Links.AsNoTracking(), scope).Where(l => l.ApplicationId != null);
        if (sentFrom is { } from)
        {
            // The applications sent from then on (their first link created then or later), with all their links.
            var sentBefore = ScopedLinks.In(db.Links.AsNoTracking(), scope).Where(l => l.ApplicationId != null && l.CreatedAt < from);
            links = links.Where(l => !sentBefore.Any(e => e.ApplicationId == l.ApplicationId));
        }

        // A link has a totals row only while it has counted clicks (a correction to zero deletes it).
        var linkFacts =
            from l in links
            join t in db.ClickLinkTotals.AsNoTracking() on l.TrackingId equals t.TrackingId into totals
            from t in totals.DefaultIfEmpty()
            select new
            {
                l.ApplicationId,
                l.LinkFunction,
                Fetched = t != null ? 1 : 0,
                Human = t != null && t.HumanClicks > 0 ? 1 : 0,
            };

        // Each application's furthest stages, once: joined, not probed per application; for a job or an application
        // only its own applications' outcomes are grouped, not every application's.
        var outcomes = db.ApplicationOutcomes.AsNoTracking();
        if (scope.JobId is not null || scope.ApplicationId is not null)
        {
            outcomes = outcomes.Where(o => links.Any(l => l.ApplicationId == o.ApplicationId));
        }

        var reached = outcomes
            .GroupBy(o => o.ApplicationId)
            .Select(g => new
            {
                ApplicationId = (Guid?)g.Key,
                Replied = g.Max(o => replied.Contains(o.Stage) ? 1 : 0),
                Interview = g.Max(o => interview.Contains(o.Stage) ? 1 : 0),
                Offer = g.Max(o => offer.Contains(o.Stage) ? 1 : 0),
            });

        var applications = linkFacts
            .GroupBy(l => l.ApplicationId)
            .Select(g => new { ApplicationId = g.Key, Fetched = g.Max(l => l.Fetched), Human = g.Max(l => l.Human) });
        var byEngagement = await (
                from a in applications
                join r in reached on a.ApplicationId equals r.ApplicationId into stages
                from r in stages.DefaultIfEmpty()
                select new { a.Fetched, a.Human, Replied = (int?)r.Replied ?? 0, Interview = (int?)r.Interview ?? 0, Offer = (int?)r.Offer ?? 0 })
            .GroupBy(a => new { a.Fetched, a.Human })
            .Select(g => new
            {
                g.Key.Fetched,
                g.Key.Human,
                Applications = g.Count(),
                Replied = g.Sum(a => a.Replied),
                Interview = g.Sum(a => a.Interview),
                Offer = g.Sum(a => a.Offer),
            })
            .ToListAsync(cancellationToken);

        var functions = linkFacts
            .GroupBy(l => new { l.ApplicationId, l.LinkFunction })
            .Select(g => new { g.Key.ApplicationId, g.Key.LinkFunction, Human = g.Max(l => l.Human) });
        var byFunction = await (
                from f in functions
                join r in reached on f.ApplicationId equals r.ApplicationId into stages
                from r in stages.DefaultIfEmpty()
                select new { f.LinkFunction, f.Human, Replied = (int?)r.Replied ?? 0, Interview = (int?)r.Interview ?? 0 })
            .GroupBy(a => new { a.LinkFunction, a.Human })
            .Select(g => new
            {
                g.Key.LinkFunction,
                g.Key.Human,
                Applications = g.Count(),
                Replied = g.Sum(a => a.Replied),
                Interview = g.Sum(a => a.Interview),
            })
            .ToListAsync(cancellationToken);

        OutcomeCounts Engagement(int fetched, int human) => byEngagement
            .Where(e => e.Fetched == fetched && e.Human == human)
            .Select(e => new OutcomeCounts(e.Applications, e.Replied, e.Interview, e.Offer))
            .SingleOrDefault() ?? OutcomeCounts.None;

        OutcomeCounts Function(string function, int human) => byFunction
            .Where(f => f.LinkFunction == function && f.Human == human)
            .Select(f => new OutcomeCounts(f.Applications, f.Replied, f.Interview, 0))
            .SingleOrDefault() ?? OutcomeCounts.None;

        return new OutcomeFunnelFacts(
            Engagement(1, 1),
            Engagement(1, 0),
            Engagement(0, 0),
            [.. byFunction
                .Select(f => f.LinkFunction)
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .Select(f => new FunctionEngagement(f, Function(f, 1), Function(f, 0)))]);
    }
}
