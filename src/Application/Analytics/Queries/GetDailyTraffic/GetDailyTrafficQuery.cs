using LinkTracking.Application.Common.Interfaces;
using Mediator;

namespace LinkTracking.Application.Analytics.Queries.GetDailyTraffic;

/// <summary>
/// Every click of the last <see cref="Days"/> days (1–365) per day, split into people, scanners and other bots
/// (crawlers, previews, monitors): how much of the traffic was not a person.
/// </summary>
public sealed record GetDailyTrafficQuery(int Days = 30) : IQuery<DailyTrafficDto>, IReadsRecordedClicks;

public sealed record DailyTrafficDto(DateTime StartDate, DateTime EndDate, IReadOnlyList<DayTrafficDto> Days);

public sealed record DayTrafficDto(DateOnly Date, int Human, int Scanner, int OtherBots);
