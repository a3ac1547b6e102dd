using FluentValidation;
using LinkTracking.Domain.ApiKeys;

namespace LinkTracking.Application.ApiKeys.Commands.CreateApiKey;

public sealed class CreateApiKeyCommandValidator : AbstractValidator<CreateApiKeyCommand>
{
    public CreateApiKeyCommandValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(ApiKey.MaxNameLength);
        RuleFor(c => c.Scopes)
            .NotEmpty().WithMessage("scopes must name at least one scope.")
            .Must(s => s is null || (s.Count <= Scope.All.Count * 2 && s.All(Scope.IsKnown)))
            .WithMessage($"scopes are one or more of: {string.Join(", ", Scope.All)}.");
    }
}
