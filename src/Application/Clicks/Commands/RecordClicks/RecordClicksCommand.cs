using System.Text.Json.Serialization;
using LinkTracking.Application.Clicks.Commands.RecordClick;
using Mediator;

namespace LinkTracking.Application.Clicks.Commands.RecordClicks;

/// <summary>
/// Up to <see cref="MaxClicks"/> partner clicks in one request. A null item could not be read as a click;
/// <see cref="MalformedItems"/> says why, by index.
/// </summary>
public sealed record RecordClicksCommand(
    IReadOnlyList<RecordClickCommand?>? Clicks,
    IReadOnlyDictionary<int, IReadOnlyDictionary<string, string[]>>? MalformedItems = null) : ICommand<RecordClicksResult>
{
    public const int MaxClicks = 1000;
}

/// <summary>One result per submitted click, in order.</summary>
public sealed record RecordClicksResult(IReadOnlyList<RecordClickItemResult> Results, int Accepted, int Rejected);

/// <summary>
/// <c>status</c> is 201 (stored, or already stored under the same event id), 400 (with <c>errors</c>),
/// 404 (unknown link) or 409 (inactive link).
/// </summary>
public sealed record RecordClickItemResult(int Index, int Status)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Guid? ClickId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TrackingId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? ClickedAt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ClickSource { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Detail { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }
}
