using FluentValidation;
using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;
using Mediator;

namespace LinkTracking.Application.Clicks.Labels;

/// <summary>
/// Sets a click's <c>bot_category</c> (signal <c>user_label</c>); <c>scope: "origin"</c> also keeps a rule for the
/// click's origin that classifies its future clicks. Copies the journal into the database first, so a click just
/// acknowledged can be labelled.
/// </summary>
public sealed record LabelClickCommand(Guid ClickId, string? BotCategory, string? Note, string? Scope, Guid? ApiKeyId) : ICommand<ClickLabelDto>, IChangesRecordedClicks
{
    public const string ClickScope = "click";
    public const string OriginScope = "origin";
}

public sealed class LabelClickCommandValidator : AbstractValidator<LabelClickCommand>
{
    public LabelClickCommandValidator()
    {
        RuleFor(c => c.BotCategory).NotEmpty().Must(c => BotCategories.TryParse(c, out _))
            .WithMessage("bot_category is one of human, scanner, crawler, preview, monitor.").OverridePropertyName("bot_category");
        RuleFor(c => c.Note).MaximumLength(OriginRule.MaxNoteLength).OverridePropertyName("note");
        RuleFor(c => c.Scope).Must(s => s is null or LabelClickCommand.ClickScope or LabelClickCommand.OriginScope)
            .WithMessage("scope is click (default) or origin.").OverridePropertyName("scope");
    }
}

public sealed class LabelClickCommandHandler(IClickLabels labels) : ICommandHandler<LabelClickCommand, ClickLabelDto>
{
    public async ValueTask<ClickLabelDto> Handle(LabelClickCommand command, CancellationToken cancellationToken)
    {
        if (!BotCategories.TryParse(command.BotCategory, out var category))
        {
            throw new Application.Common.Exceptions.ValidationException("bot_category", "bot_category is one of human, scanner, crawler, preview, monitor.");
        }

        var label = new ClickLabel(command.ClickId, category, command.Note, command.Scope == LabelClickCommand.OriginScope, command.ApiKeyId);
        return await labels.LabelAsync(label, cancellationToken) ?? throw NotFoundException.For("Click", command.ClickId);
    }
}

/// <summary>Every operator rule, newest first.</summary>
public sealed record ListClassificationRulesQuery : IQuery<IReadOnlyList<ClassificationRuleDto>>;

public sealed class ListClassificationRulesQueryHandler(IClickLabels labels) : IQueryHandler<ListClassificationRulesQuery, IReadOnlyList<ClassificationRuleDto>>
{
    public async ValueTask<IReadOnlyList<ClassificationRuleDto>> Handle(ListClassificationRulesQuery query, CancellationToken cancellationToken) =>
        await labels.ListRulesAsync(cancellationToken);
}

/// <summary>Deletes an operator rule: the origin's future clicks are classified as before (within the rules' refresh interval on other instances).</summary>
public sealed record DeleteClassificationRuleCommand(Guid Id) : ICommand;

public sealed class DeleteClassificationRuleCommandHandler(IClickLabels labels) : ICommandHandler<DeleteClassificationRuleCommand>
{
    public async ValueTask<Unit> Handle(DeleteClassificationRuleCommand command, CancellationToken cancellationToken)
    {
        if (!await labels.DeleteRuleAsync(command.Id, cancellationToken))
        {
            throw NotFoundException.For("Classification rule", command.Id);
        }

        return Unit.Value;
    }
}
