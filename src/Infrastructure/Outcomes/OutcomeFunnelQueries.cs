using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Outcomes;
using LinkTracking.Infrastructure.Analytics;
using LinkTracking.Infrastructure.Analytics.Rollups;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.Outcomes;

/// <summary>
/// The funnel's facts as two grouped reads, each answering a handful of rows: a link was fetched when it has any
/// <c>category</c> row in the hourly link rollups, opened by a person when one of those rows has human clicks (an index
/// probe per link on the rollups' key, which leads with the tracking id; never the raw clicks); an application reached
/// a stage when it has an outcome of that stage or a later one (a probe on <c>(application_id, stage)</c>). Both
/// providers translate the LINQ; each read is bounded by <see cref="BoundedReads"/>.
/// </summary>
public sealed class OutcomeFunnelQueries(LinkTrackingDbContext db, BoundedReads reads) : IOutcomeFunnelQueries
{
    public Task<OutcomeFunnelFacts> GetAsync(LinkScope scope, DateTime? linksCreatedFrom, CancellationToken cancellationToken) =>
        reads.RunAsync(ct => FactsAsync(scope, linksCreatedFrom, ct), cancellationToken);

    private async Task<OutcomeFunnelFacts> FactsAsync(LinkScope scope, DateTime? linksCreatedFrom, CancellationToken cancellationToken)
    {
        if (scope.TrackingId is not null)
        {
            throw new ArgumentException("A funnel covers applications: a job's, one application's or all.", nameof(scope));
        }

        var categories = db.ClickRollups.AsNoTracking().Where(r => r.Dimension == RollupDimensions.Category);
        var outcomes = db.ApplicationOutcomes.AsNoTracking();
        var replied = OutcomeStage.ReachedReply.ToList();
        var interview = OutcomeStage.ReachedInterview.ToList();
        var offer = OutcomeStage.ReachedOffer.ToList();

        var links = ScopedLinks.In(db.Links.AsNoTracking(), scope).Where(l => l.ApplicationId != null);
        if (linksCreatedFrom is { } from)
        {
            links = links.Where(l => l.CreatedAt >= from);
        }

        var linkFacts = links.Select(l => new
        {
            l.ApplicationId,
            l.LinkFunction,
            Fetched = categories.Any(r => r.TrackingId == l.TrackingId) ? 1 : 0,
            Human = categories.Any(r => r.TrackingId == l.TrackingId && r.HumanClicks > 0) ? 1 : 0,
        });

        var byEngagement = await linkFacts
            .GroupBy(l => l.ApplicationId)
            .Select(g => new { ApplicationId = g.Key, Fetched = g.Max(l => l.Fetched), Human = g.Max(l => l.Human) })
            .Select(a => new
            {
                a.Fetched,
                a.Human,
                Replied = outcomes.Any(o => o.ApplicationId == a.ApplicationId && replied.Contains(o.Stage)) ? 1 : 0,
                Interview = outcomes.Any(o => o.ApplicationId == a.ApplicationId && interview.Contains(o.Stage)) ? 1 : 0,
                Offer = outcomes.Any(o => o.ApplicationId == a.ApplicationId && offer.Contains(o.Stage)) ? 1 : 0,
            })
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

        var byFunction = await linkFacts
            .GroupBy(l => new { l.ApplicationId, l.LinkFunction })
            .Select(g => new { g.Key.ApplicationId, g.Key.LinkFunction, Human = g.Max(l => l.Human) })
            .Select(a => new
            {
                a.LinkFunction,
                a.Human,
                Replied = outcomes.Any(o => o.ApplicationId == a.ApplicationId && replied.Contains(o.Stage)) ? 1 : 0,
                Interview = outcomes.Any(o => o.ApplicationId == a.ApplicationId && interview.Contains(o.Stage)) ? 1 : 0,
            })
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
