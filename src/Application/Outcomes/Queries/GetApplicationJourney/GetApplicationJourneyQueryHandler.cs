using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Outcomes.Common;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Outcomes;
using Mediator;

namespace LinkTracking.Application.Outcomes.Queries.GetApplicationJourney;

public sealed class GetApplicationJourneyQueryHandler(
    ITrackedLinkRepository links,
    IApplicationClickReader clicks,
    IApplicationOutcomeRepository outcomes) : IQueryHandler<GetApplicationJourneyQuery, ApplicationJourneyDto>
{
    /// <summary>At most this many clicks (the newest) are read per journey.</summary>
    public const int MaxClicks = 1000;

    public async ValueTask<ApplicationJourneyDto> Handle(GetApplicationJourneyQuery query, CancellationToken cancellationToken)
    {
        var applicationLinks = await links.ListByApplicationAsync(query.ApplicationId, cancellationToken);
        var recorded = await outcomes.ListAsync(query.ApplicationId, OutcomeLimits.MaxPerApplication, cancellationToken);
        if (applicationLinks.Count == 0 && recorded.Count == 0)
        {
            throw NotFoundException.For("Application", query.ApplicationId);
        }

        var newest = await clicks.ListNewestAsync(query.ApplicationId, MaxClicks + 1, cancellationToken);
        var truncated = newest.Count > MaxClicks;
        var applicationClicks = newest.Take(MaxClicks).OrderBy(c => c.ClickedAt).ThenBy(c => c.Id).ToList();
        var sentAt = applicationLinks.Select(l => l.SentAt).Where(s => s is not null).Min();
        var jobId = applicationLinks.Select(l => l.JobId).FirstOrDefault(j => j is not null);

        var events = new List<JourneyEventDto>(applicationClicks.Count + recorded.Count + 1);
        if (sentAt is { } sent)
        {
            events.Add(new JourneyEventDto(sent, "sent"));
        }

        events.AddRange(applicationClicks.Select(c => new JourneyEventDto(
            c.ClickedAt,
            "click",
            ClickId: c.Id,
            TrackingId: c.TrackingId,
            LinkFunction: c.LinkFunction,
            BotCategory: c.BotCategory.Name(),
            Signals: ClickSignals.Split(c.Signals),
            Country: c.Country,
            DeviceType: c.DeviceType?.Name(),
            Human: c.BotCategory == BotCategory.Human)));
        events.AddRange(recorded.Select(o => new JourneyEventDto(o.OccurredAt, "outcome", OutcomeId: o.Id, Stage: o.Stage, Note: o.Note)));

        // Stable: at the same instant, sent before clicks before outcomes, each kind in its own order.
        var ordered = events.OrderBy(e => e.At).ToList();
        return new ApplicationJourneyDto(
            query.ApplicationId,
            jobId,
            sentAt,
            CurrentStage(recorded),
            ordered,
            Milestones(sentAt, applicationClicks, recorded),
            truncated);
    }

    /// <summary>The latest outcome by occurred_at; of two at the same instant, the one recorded last.</summary>
    private static string? CurrentStage(IReadOnlyList<ApplicationOutcome> recorded) =>
        recorded.OrderBy(o => o.OccurredAt).ThenBy(o => o.CreatedAt).ThenBy(o => o.Id).LastOrDefault()?.Stage;

    private static JourneyMilestonesDto Milestones(DateTime? sentAt, List<ApplicationClick> ordered, IReadOnlyList<ApplicationOutcome> recorded)
    {
        var firstMachine = ordered.FirstOrDefault(c => c.BotCategory != BotCategory.Human)?.ClickedAt;
        var firstHuman = ordered.FirstOrDefault(c => c.BotCategory == BotCategory.Human)?.ClickedAt;
        double? toFirstHuman = firstHuman is { } human && sentAt is { } sent ? (human - sent).TotalSeconds : null;
        var toStages = new Dictionary<string, double>(StringComparer.Ordinal);
        if (firstHuman is { } from)
        {
            foreach (var outcome in recorded.Where(o => o.OccurredAt >= from).OrderBy(o => o.OccurredAt))
            {
                toStages.TryAdd(outcome.Stage, (outcome.OccurredAt - from).TotalSeconds);
            }
        }

        return new JourneyMilestonesDto(firstMachine, firstHuman, toFirstHuman, toStages);
    }
}
