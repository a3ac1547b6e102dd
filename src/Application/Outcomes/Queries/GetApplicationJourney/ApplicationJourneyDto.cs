using LinkTracking.Application.Common.Interfaces;

namespace LinkTracking.Application.Outcomes.Queries.GetApplicationJourney;

/// <summary>
/// What happened to an application, oldest first. <c>sent_at</c>: the earliest <c>sent_at</c> of its links.
/// <c>current_stage</c>: its latest outcome by <c>occurred_at</c> (null when none). <c>clicks_truncated</c>: the
/// application has more than 1000 clicks and only the newest 1000 are listed (the milestones then come from those).
/// </summary>
public sealed record ApplicationJourneyDto(
    Guid ApplicationId,
    Guid? JobId,
    DateTime? SentAt,
    string? CurrentStage,
    IReadOnlyList<JourneyEventDto> Events,
    JourneyMilestonesDto Milestones,
    bool ClicksTruncated) : IFreshAnswer
{
    /// <summary>Up to this instant (UTC) acknowledged clicks are in this answer.</summary>
    public DateTime DataAsOf { get; private set; }

    public void Stamp(DataFreshness freshness)
    {
        ArgumentNullException.ThrowIfNull(freshness);
        DataAsOf = freshness.DataAsOf;
    }
}

/// <summary>
/// One event of the journey: <c>type</c> is <c>sent</c>, <c>click</c> or <c>outcome</c>. A click carries
/// <c>click_id</c>, <c>tracking_id</c>, <c>link_function</c>, <c>bot_category</c>, <c>signals</c>, <c>country</c>,
/// <c>device_type</c> and <c>human</c>; an outcome <c>outcome_id</c>, <c>stage</c> and <c>note</c>; fields of the other
/// kind are null.
/// </summary>
public sealed record JourneyEventDto(
    DateTime At,
    string Type,
    Guid? ClickId = null,
    string? TrackingId = null,
    string? LinkFunction = null,
    string? BotCategory = null,
    IReadOnlyList<string>? Signals = null,
    string? Country = null,
    string? DeviceType = null,
    bool? Human = null,
    Guid? OutcomeId = null,
    string? Stage = null,
    string? Note = null);

/// <summary>
/// <c>first_machine_fetch</c>: the first click by anything but a person; <c>first_human_click</c>: the first person's
/// click; <c>seconds_to_first_human_click</c>: from <c>sent_at</c> to it; <c>seconds_from_first_human_click_to</c>:
/// stage → seconds from the first human click to the first outcome of that stage at or after it.
/// </summary>
public sealed record JourneyMilestonesDto(
    DateTime? FirstMachineFetch,
    DateTime? FirstHumanClick,
    double? SecondsToFirstHumanClick,
    IReadOnlyDictionary<string, double> SecondsFromFirstHumanClickTo);
