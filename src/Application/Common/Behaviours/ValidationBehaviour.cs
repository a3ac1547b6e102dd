using FluentValidation;
using LinkTracking.Application.Common.Validation;
using Mediator;
using ValidationException = LinkTracking.Application.Common.Exceptions.ValidationException;

namespace LinkTracking.Application.Common.Behaviours;

/// <summary>Runs every validator of a message once, before its handler; failures become one <see cref="ValidationException"/>.</summary>
public sealed class ValidationBehaviour<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    private readonly IValidator<TMessage>[] _validators = validators as IValidator<TMessage>[] ?? validators.ToArray();

    /// <summary>A message without validators (the redirect's) goes straight on, without an async frame of its own.</summary>
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        return _validators.Length == 0 ? next(message, cancellationToken) : ValidateThenHandle(message, next, cancellationToken);
    }

    private async ValueTask<TResponse> ValidateThenHandle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var context = new ValidationContext<TMessage>(message);
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        foreach (var validator in _validators)
        {
            var result = await validator.ValidateAsync(context, cancellationToken);
            failures.AddRange(result.Errors);
        }

        if (failures.Count > 0)
        {
            throw new ValidationException(ValidationErrors.ToDictionary(failures));
        }

        return await next(message, cancellationToken);
    }
}
