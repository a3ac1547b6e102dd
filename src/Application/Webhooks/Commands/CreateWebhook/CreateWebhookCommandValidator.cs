using FluentValidation;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Webhooks;
using Microsoft.Extensions.Options;

namespace LinkTracking.Application.Webhooks.Commands.CreateWebhook;

public sealed class CreateWebhookCommandValidator : AbstractValidator<CreateWebhookCommand>
{
    public CreateWebhookCommandValidator(IOptions<WebhookOptions> options)
    {
        var webhooks = options.Value;
        RuleFor(c => c.Url)
            .NotEmpty()
            .MaximumLength(WebhookSubscription.MaxUrlLength)
            .Must((_, url, context) =>
            {
                var error = WebhookTargets.Check(url, webhooks);
                context.MessageFormatter.AppendArgument("Reason", error);
                return error is null;
            })
            .WithMessage("{Reason}");
        RuleFor(c => c.Events)
            .NotEmpty().WithMessage("events must name at least one event type.")
            .Must(e => e is null || (e.Count <= WebhookSubscription.MaxEvents && e.All(WebhookEventTypes.IsKnown)))
            .WithMessage($"events are one or more of: {string.Join(", ", WebhookEventTypes.All)}.");
        RuleFor(c => c.JobId).NotEqual(Guid.Empty).WithMessage("job_id is not the empty GUID.");
        RuleFor(c => c.ApplicationId).NotEqual(Guid.Empty).WithMessage("application_id is not the empty GUID.");
    }
}
