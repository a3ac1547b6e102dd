using LinkTracking.Domain.Common;

namespace LinkTracking.Domain.Clicks;

/// <summary>
/// An operator rule: every future click from <see cref="Origin"/> (an ASN such as <c>AS14618</c> for cloud and scanner
/// networks, else a /24 or /48, as <see cref="LinkClick.Origin"/>) is <see cref="BotCategory"/>, with signal
/// <see cref="ClickSignals.OriginRule"/>. Made by labelling a click with <c>scope: "origin"</c>; one rule per origin
/// (a later label of the same origin replaces it).
/// </summary>
public sealed class OriginRule
{
    public const int MaxNoteLength = 500;

    private OriginRule()
    {
        Origin = null!;
    }

    public Guid Id { get; private set; }

    public string Origin { get; private set; }

    public BotCategory BotCategory { get; private set; }

    public string? Note { get; private set; }

    /// <summary>The click whose label made the rule.</summary>
    public Guid ClickId { get; private set; }

    public DateTime CreatedAt { get; private set; }

    /// <summary>The API key that made the rule; null when the service itself did.</summary>
    public Guid? ApiKeyId { get; private set; }

    public static OriginRule Create(string origin, BotCategory category, string? note, Guid clickId, DateTime createdAt, Guid? apiKeyId)
    {
        ArgumentException.ThrowIfNullOrEmpty(origin);
        if (origin.Length > LinkClick.MaxOriginLength)
        {
            throw new DomainRuleException("origin", $"origin is at most {LinkClick.MaxOriginLength} characters.");
        }

        if (note is { Length: > MaxNoteLength })
        {
            throw new DomainRuleException("note", $"note is at most {MaxNoteLength} characters.");
        }

        return new OriginRule
        {
            Id = Guid.CreateVersion7(createdAt),
            Origin = origin,
            BotCategory = category,
            Note = note,
            ClickId = clickId,
            CreatedAt = createdAt,
            ApiKeyId = apiKeyId,
        };
    }

    /// <summary>A new label of the same origin: the rule now says what it says.</summary>
    public void Replace(BotCategory category, string? note, Guid clickId, DateTime changedAt, Guid? apiKeyId)
    {
        BotCategory = category;
        Note = note is { Length: > MaxNoteLength } ? note[..MaxNoteLength] : note;
        ClickId = clickId;
        CreatedAt = changedAt;
        ApiKeyId = apiKeyId;
    }
}
