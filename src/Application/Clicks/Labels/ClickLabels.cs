using System.Diagnostics.CodeAnalysis;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Application.Clicks.Labels;

/// <summary>
/// A user's correction of a click's verdict and the operator rules labels make (docs/click-classification.md, "User
/// labels"). The click changes in one transaction with the history of its link, the rule, and the exact change of the
/// rollups that already count it.
/// </summary>
public interface IClickLabels
{
    /// <summary>Labels a click; null when there is no such click. Throws a validation error for an origin rule on a click without an origin.</summary>
    Task<ClickLabelDto?> LabelAsync(ClickLabel label, CancellationToken cancellationToken);

    /// <summary>Every operator rule, newest first.</summary>
    Task<IReadOnlyList<ClassificationRuleDto>> ListRulesAsync(CancellationToken cancellationToken);

    /// <summary>Deletes a rule; false when there is none with that id.</summary>
    Task<bool> DeleteRuleAsync(Guid id, CancellationToken cancellationToken);
}

/// <summary>The operator rules as the click factory reads them: an in-memory copy, refreshed periodically.</summary>
public interface IOriginRules
{
    /// <summary>Whether any rule exists (so a click without rules computes nothing more).</summary>
    bool IsEmpty { get; }

    bool TryGet(string origin, [MaybeNullWhen(false)] out OriginRuleVerdict verdict);
}

/// <summary>No operator rules (hosts and tests without a database).</summary>
public sealed class NoOriginRules : IOriginRules
{
    public static NoOriginRules Instance { get; } = new();

    public bool IsEmpty => true;

    public bool TryGet(string origin, [MaybeNullWhen(false)] out OriginRuleVerdict verdict)
    {
        verdict = null;
        return false;
    }
}

/// <summary>What a rule says of an origin's clicks.</summary>
public sealed record OriginRuleVerdict(BotCategory Category);

/// <summary>A label to apply: <paramref name="ForOrigin"/> also makes the operator rule for the click's origin.</summary>
public sealed record ClickLabel(Guid ClickId, BotCategory Category, string? Note, bool ForOrigin, Guid? ApiKeyId);

/// <summary>The labelled click, and the rule when <c>scope</c> was <c>origin</c>.</summary>
public sealed record ClickLabelDto(
    Guid ClickId,
    string TrackingId,
    string BotCategory,
    string PreviousBotCategory,
    IReadOnlyList<string> Signals,
    ClassificationRuleDto? Rule);

/// <summary>An operator rule: clicks from <c>origin</c> are <c>bot_category</c>.</summary>
public sealed record ClassificationRuleDto(Guid Id, string Origin, string BotCategory, string? Note, Guid ClickId, DateTime CreatedAt);
