using LinkTracking.Domain.Common;

namespace LinkTracking.Domain.Outcomes;

/// <summary>
/// What happened to an application after it was sent (a reply, an interview, an offer…), as reported by the
/// orchestrator. Several may share a stage; the application's current stage is its latest by <see cref="OccurredAt"/>.
/// Outcomes belong to the application, not to its clicks: erasing the clicks leaves them alone.
/// </summary>
public sealed class ApplicationOutcome
{
    public const int MaxNoteLength = 1000;
    public const int MaxEventIdLength = 100;

    /// <summary>How far in the future (clock skew) an <see cref="OccurredAt"/> may be.</summary>
    public static readonly TimeSpan MaxOccurredAtSkew = TimeSpan.FromMinutes(5);

    private ApplicationOutcome()
    {
        Stage = null!;
    }

    public Guid Id { get; private set; }

    public Guid ApplicationId { get; private set; }

    /// <summary>One of <see cref="OutcomeStage.All"/>.</summary>
    public string Stage { get; private set; }

    public DateTime OccurredAt { get; private set; }

    /// <summary>The caller's id of the event; a retry with the same id answers the first record.</summary>
    public string? EventId { get; private set; }

    public string? Note { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public static ApplicationOutcome Record(Guid applicationId, string stage, DateTime occurredAt, string? eventId, string? note, DateTime now)
    {
        if (applicationId == Guid.Empty)
        {
            throw new DomainRuleException("application_id", "application_id must not be empty.");
        }

        if (!OutcomeStage.IsKnown(stage))
        {
            throw new DomainRuleException("stage", $"stage is one of: {string.Join(", ", OutcomeStage.All)}.");
        }

        if (occurredAt.Kind != DateTimeKind.Utc || occurredAt > now + MaxOccurredAtSkew)
        {
            throw new DomainRuleException("occurred_at", "occurred_at must be UTC and not more than 5 minutes in the future.");
        }

        if (eventId is { Length: 0 or > MaxEventIdLength })
        {
            throw new DomainRuleException("event_id", $"event_id is 1 to {MaxEventIdLength} characters.");
        }

        if (note is { Length: > MaxNoteLength })
        {
            throw new DomainRuleException("note", $"note is at most {MaxNoteLength} characters.");
        }

        return new ApplicationOutcome
        {
            Id = Guid.CreateVersion7(now),
            ApplicationId = applicationId,
            Stage = stage,
            OccurredAt = occurredAt,
            EventId = eventId,
            Note = note,
            CreatedAt = now,
        };
    }
}
