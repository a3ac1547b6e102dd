using LinkTracking.Application.Outcomes.Common;
using Mediator;

namespace LinkTracking.Application.Outcomes.Commands.RecordOutcome;

/// <summary>
/// Records what happened to an application. <see cref="OccurredAt"/> defaults to now and may lie in the past (a
/// backfill); <see cref="EventId"/> makes a retry answer the first record instead of recording twice.
/// </summary>
public sealed record RecordOutcomeCommand(
    Guid ApplicationId,
    string? Stage,
    DateTimeOffset? OccurredAt = null,
    string? EventId = null,
    string? Note = null) : ICommand<RecordedOutcome>;

/// <summary>The outcome, and whether this request created it (false: an earlier request with the same event_id did).</summary>
public sealed record RecordedOutcome(OutcomeDto Outcome, bool Created);
