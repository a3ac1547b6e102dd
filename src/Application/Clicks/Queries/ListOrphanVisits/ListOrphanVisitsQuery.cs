using Mediator;

namespace LinkTracking.Application.Clicks.Queries.ListOrphanVisits;

/// <summary>Requests for unknown or malformed tracking ids over the last <see cref="Days"/> days (1 to 90).</summary>
public sealed record ListOrphanVisitsQuery(int Days = ListOrphanVisitsQuery.DefaultDays) : IQuery<OrphanVisitsDto>
{
    public const int DefaultDays = 7;
    public const int MaxDays = 90;
    public const int MaxVisits = 100;
}

/// <summary>Counts per UTC day (every day of the period, oldest first) and the latest visits (at most 100).</summary>
public sealed record OrphanVisitsDto(int Days, int TotalVisits, IReadOnlyList<OrphanVisitDayDto> VisitsByDay, IReadOnlyList<OrphanVisitDto> Visits);

public sealed record OrphanVisitDayDto(DateOnly Date, int Visits);

/// <summary>One visit: when, the path asked for, the masked address, agent, referrer and who it looked like.</summary>
public sealed record OrphanVisitDto(DateTime VisitedAt, string Path, string? IpPartial, string? UserAgent, string? Referrer, string BotCategory);
