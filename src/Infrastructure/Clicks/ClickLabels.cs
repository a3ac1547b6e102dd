using LinkTracking.Application.Clicks.Labels;
using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Analytics.Rollups;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace LinkTracking.Infrastructure.Clicks;

/// <summary>
/// A user's correction of a click (signal <see cref="ClickSignals.UserLabel"/>), in one transaction with its link's
/// history, the operator rule (<c>scope: "origin"</c>) and the exact change of the rollups — for the click only if the
/// rollup worker counts it already (<see cref="IClickRollupStore.RolledUpAsync"/>), as <see cref="ClickReclassifier"/>
/// does (ADR 0021).
/// </summary>
public sealed class ClickLabels(
    LinkTrackingDbContext db, IClickRollupStore rollups, OriginRuleCache rules, TimeProvider clock, IEnumerable<IClickReclassificationObserver> observers)
    : IClickLabels
{
    /// <summary>The history field of a label (<c>old_value</c>/<c>new_value</c>: <c>{click_id} {bot_category}[: note]</c>).</summary>
    public const string LabelField = "bot_category";

    /// <summary>The history field of an operator rule (<c>{origin} {bot_category}[: note]</c>, null when there was none).</summary>
    public const string RuleField = "classification_rule";

    public async Task<ClickLabelDto?> LabelAsync(ClickLabel label, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(label);
        var click = await db.Clicks.FirstOrDefaultAsync(c => c.Id == label.ClickId, cancellationToken);
        if (click is null)
        {
            return null;
        }

        if (label.ForOrigin && click.Origin is null)
        {
            throw new ValidationException("scope", "The click has no origin (no address was kept), so no rule can be made for its origin.");
        }

        var linkId = await db.Links.AsNoTracking().Where(l => l.TrackingId == click.TrackingId).Select(l => l.Id).FirstAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var before = RolledUpClick.Of(click);
        var previous = click.BotCategory;
        var changed = click.Label(label.Category, ClickSignals.UserLabel);
        if (changed)
        {
            db.LinkChanges.Add(LinkChange.Create(
                linkId, LabelField, $"{click.Id} {previous.Name()}", WithNote($"{click.Id} {label.Category.Name()}", label.Note), now, label.ApiKeyId));
        }

        OriginRule? rule = null;
        if (label.ForOrigin)
        {
            rule = await db.OriginRules.FirstOrDefaultAsync(r => r.Origin == click.Origin, cancellationToken);
            var old = rule is null ? null : WithNote($"{rule.Origin} {rule.BotCategory.Name()}", rule.Note);
            if (rule is null)
            {
                rule = OriginRule.Create(click.Origin!, label.Category, label.Note, click.Id, now, label.ApiKeyId);
                db.OriginRules.Add(rule);
            }
            else
            {
                rule.Replace(label.Category, label.Note, click.Id, now, label.ApiKeyId);
            }

            db.LinkChanges.Add(LinkChange.Create(linkId, RuleField, old, WithNote($"{rule.Origin} {label.Category.Name()}", label.Note), now, label.ApiKeyId));
        }

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (changed)
            {
                foreach (var observer in observers)
                {
                    await observer.OnReclassifiedAsync(db, [new ClickReclassified(click, previous)], cancellationToken);
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            if (changed)
            {
                // The rollups move only if the worker counts the click already; otherwise it counts it as labelled.
                var connection = db.Database.GetDbConnection();
                var rolled = await rollups.RolledUpAsync(connection, transaction.GetDbTransaction(), [click.Id], cancellationToken);
                if (rolled.Contains(click.Id))
                {
                    var delta = new ClickRollupDelta();
                    delta.Replace(before, RolledUpClick.Of(click));
                    await rollups.ApplyAsync(connection, transaction.GetDbTransaction(), delta, cancellationToken);
                }
            }

            await transaction.CommitAsync(cancellationToken);
        }

        if (rule is not null)
        {
            await rules.RefreshAsync(cancellationToken);
        }

        return new ClickLabelDto(
            click.Id, click.TrackingId.Value, click.BotCategory.Name(), previous.Name(), ClickSignals.Split(click.Signals), rule is null ? null : ToDto(rule));
    }

    public async Task<IReadOnlyList<ClassificationRuleDto>> ListRulesAsync(CancellationToken cancellationToken) =>
        (await db.OriginRules.AsNoTracking().ToListAsync(cancellationToken))
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Select(ToDto)
            .ToList();

    public async Task<bool> DeleteRuleAsync(Guid id, CancellationToken cancellationToken)
    {
        var deleted = await db.OriginRules.Where(r => r.Id == id).ExecuteDeleteAsync(cancellationToken) > 0;
        if (deleted)
        {
            await rules.RefreshAsync(cancellationToken);
        }

        return deleted;
    }

    private static ClassificationRuleDto ToDto(OriginRule rule) =>
        new(rule.Id, rule.Origin, rule.BotCategory.Name(), rule.Note, rule.ClickId, rule.CreatedAt);

    private static string WithNote(string value, string? note) => string.IsNullOrEmpty(note) ? value : $"{value}: {note}";
}
