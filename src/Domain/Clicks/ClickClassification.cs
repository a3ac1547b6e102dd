namespace LinkTracking.Domain.Clicks;

/// <summary>
/// The decision about one click: its category and the signals behind it, main one first. A human click may still
/// carry signals that fired without being enough on their own (a datacenter address with complete browser headers).
/// </summary>
public sealed record ClickClassification(BotCategory Category, IReadOnlyList<string> Signals)
{
    public static ClickClassification Human { get; } = new(BotCategory.Human, []);

    public bool IsBot => Category != BotCategory.Human;

    /// <summary>The main signal of a bot (<c>bot_reason</c>); null for a human.</summary>
    public string? Reason => IsBot && Signals.Count > 0 ? Signals[0] : null;

    public static ClickClassification Bot(BotCategory category, params string[] signals) => new(category, signals);
}
