using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Infrastructure.Classification.Rules;

/// <summary>HEAD or OPTIONS: link checkers (Office's pre-checks, scanners) — a person's click is a GET.</summary>
public sealed class HeadRequestRule(ClickClassificationOptions options) : IClickRule
{
    public string Signal => ClickSignals.HeadRequest;

    public RuleOutcome Evaluate(in ClickEvidence evidence) =>
        options.RequestShapeRule
        && (string.Equals(evidence.Facts.Method, "HEAD", StringComparison.OrdinalIgnoreCase)
            || string.Equals(evidence.Facts.Method, "OPTIONS", StringComparison.OrdinalIgnoreCase))
            ? RuleOutcome.Bot(BotCategory.Scanner)
            : RuleOutcome.None;
}
