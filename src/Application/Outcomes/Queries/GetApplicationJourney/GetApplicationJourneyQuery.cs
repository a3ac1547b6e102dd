using LinkTracking.Application.Common.Interfaces;
using Mediator;

namespace LinkTracking.Application.Outcomes.Queries.GetApplicationJourney;

/// <summary>One application's story: sent, every click (the newest 1000), every outcome, and the milestones.</summary>
public sealed record GetApplicationJourneyQuery(Guid ApplicationId) : IQuery<ApplicationJourneyDto>, IReadsRecordedClicks;
