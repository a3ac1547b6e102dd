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

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (_validators.Length == 0)
        {
            return await next(message, cancellationToken);
        }

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
