using LinkTracking.Domain.Outcomes;

namespace LinkTracking.Application.Outcomes.Common;

/// <summary>One recorded outcome of an application.</summary>
public sealed record OutcomeDto(
    Guid Id,
    Guid ApplicationId,
    string Stage,
    DateTime OccurredAt,
    string? EventId,
    string? Note,
    DateTime CreatedAt)
{
    public static OutcomeDto From(ApplicationOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new OutcomeDto(outcome.Id, outcome.ApplicationId, outcome.Stage, outcome.OccurredAt, outcome.EventId, outcome.Note, outcome.CreatedAt);
    }
}

/// <summary>At most this many outcomes are read per application (a list, a journey).</summary>
public static class OutcomeLimits
{
    public const int MaxPerApplication = 1000;
}
