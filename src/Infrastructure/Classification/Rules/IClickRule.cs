using LinkTracking.Domain.Clicks;

namespace LinkTracking.Infrastructure.Classification.Rules;

/// <summary>One named classification rule. Rules read the evidence gathered once per click; none does I/O.</summary>
public interface IClickRule
{
    /// <summary>The signal it reports (<see cref="ClickSignals"/>).</summary>
    string Signal { get; }

    RuleOutcome Evaluate(in ClickEvidence evidence);
}

/// <summary>
/// What a rule made of a click: nothing; a decisive finding (the click is a bot of <see cref="Category"/>); or a
/// noted one that is recorded among the signals but is not enough on its own.
/// </summary>
public readonly record struct RuleOutcome(bool Fired, bool Decisive, BotCategory Category)
{
    public static RuleOutcome None => default;

    public static RuleOutcome Bot(BotCategory category) => new(true, true, category);

    public static RuleOutcome Noted => new(true, false, BotCategory.Human);
}
